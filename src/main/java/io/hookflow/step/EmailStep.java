package io.hookflow.step;

import java.util.List;

/** Send Email: one message, each address and text a template. */
public record EmailStep(
    List<Template> to,
    List<Template> cc,
    List<Template> bcc,
    Template subject,
    Template body,
    boolean html)
    implements Step {

  @Override
  public String kind() {
    return "email";
  }

  @Override
  public boolean sideEffect() {
    return true;
  }

  @Override
  public String definition() {
    return Step.definitionOf(kind(), to, cc, bcc, subject, body, html);
  }
}
