package io.hookflow.step;

/** Text - Compose: renders a template into a named text for later steps. */
public record ComposeStep(String name, Template text) implements Step {

  @Override
  public String kind() {
    return "compose";
  }

  @Override
  public String definition() {
    return Step.definitionOf(kind(), name, text);
  }
}
