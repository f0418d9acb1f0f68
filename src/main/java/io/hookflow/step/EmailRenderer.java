package io.hookflow.step;

import io.hookflow.mail.Headers;
import io.hookflow.mail.OutgoingMail;
import jakarta.mail.internet.AddressException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an email step into the message it sends, for sending or for a dry run. */
public final class EmailRenderer {

  private final String from;
  private final String messageIdDomain;

  public EmailRenderer(String from, String messageIdDomain) {
    this.from = from;
    this.messageIdDomain = messageIdDomain;
  }

  /**
   * The message, or why there is none.
   *
   * @param mail null when {@code error} says why
   * @param input the message as described in the run's history
   */
  public record Rendered(OutgoingMail mail, Map<String, Object> input, String error) {}

  public Rendered render(EmailStep step, RunContext context) {
    Map<String, Object> variables = context.variables();
    String messageId =
        Headers.messageId(
            context.event().uuid(), context.flow(), context.stepIndex(), messageIdDomain);
    OutgoingMail mail;
    try {
      mail =
          new OutgoingMail(
              messageId,
              from,
              addresses(step.to(), variables, "to"),
              addresses(step.cc(), variables, "cc"),
              addresses(step.bcc(), variables, "bcc"),
              Headers.oneLine(step.subject().render(variables)),
              step.body().render(variables),
              step.html());
    } catch (AddressException e) {
      return new Rendered(null, Map.of("messageId", messageId), e.getMessage());
    }
    Map<String, Object> input = describe(mail);
    if (mail.to().isEmpty()) {
      return new Rendered(null, input, "no recipient: every 'to' address rendered empty");
    }
    return new Rendered(mail, input, null);
  }

  /**
   * Renders each address template; an entry that renders empty is left out. An invalid one is named
   * in the error, with the template it came from: the error is all the run's history says of a
   * message that was not sent.
   */
  private static List<String> addresses(
      List<Template> templates, Map<String, Object> variables, String field)
      throws AddressException {
    List<String> addresses = new ArrayList<>();
    for (Template template : templates) {
      String rendered = template.render(variables);
      if (!rendered.isBlank()) {
        try {
          addresses.add(Headers.address(rendered));
        } catch (AddressException e) {
          throw new AddressException(
              "invalid address in "
                  + field
                  + ": '"
                  + Headers.oneLine(rendered)
                  + "' (from '"
                  + template.source()
                  + "'): "
                  + e.getMessage());
        }
      }
    }
    return addresses;
  }

  /** The message as sent, for the run's history. */
  private static Map<String, Object> describe(OutgoingMail mail) {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("messageId", mail.messageId());
    described.put("from", mail.from());
    described.put("to", mail.to());
    described.put("cc", mail.cc());
    described.put("bcc", mail.bcc());
    described.put("subject", mail.subject());
    described.put("contentType", mail.html() ? "text/html" : "text/plain");
    described.put("body", mail.body());
    return described;
  }
}
