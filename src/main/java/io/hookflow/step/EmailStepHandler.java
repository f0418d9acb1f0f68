package io.hookflow.step;

import io.hookflow.HookflowProperties;
import io.hookflow.mail.Headers;
import io.hookflow.mail.MailFailure;
import io.hookflow.mail.Mailer;
import io.hookflow.mail.OutgoingMail;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.mail.internet.AddressException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

@Component
class EmailStepHandler implements StepHandler<EmailStep> {

  private final Mailer mailer;
  private final HookflowProperties.Mail settings;
  private final MeterRegistry meters;

  EmailStepHandler(Mailer mailer, HookflowProperties properties, MeterRegistry meters) {
    this.mailer = mailer;
    this.settings = properties.mail();
    this.meters = meters;
  }

  @Override
  public Class<EmailStep> type() {
    return EmailStep.class;
  }

  @Override
  public StepResult run(EmailStep step, RunContext context) {
    Map<String, Object> variables = context.variables();
    String messageId =
        Headers.messageId(
            context.event().uuid(),
            context.flow(),
            context.stepIndex(),
            settings.messageIdDomain());
    OutgoingMail mail;
    try {
      mail =
          new OutgoingMail(
              messageId,
              settings.from(),
              addresses(step.to(), variables),
              addresses(step.cc(), variables),
              addresses(step.bcc(), variables),
              Headers.oneLine(step.subject().render(variables)),
              step.body().render(variables),
              step.html());
    } catch (AddressException e) {
      return new StepResult.Failed(
          Map.of("messageId", messageId), "invalid address: " + e.getMessage());
    }
    Map<String, Object> input = describe(mail);
    if (mail.to().isEmpty()) {
      return new StepResult.Failed(input, "no recipient: every 'to' address rendered empty");
    }
    Timer.Sample sample = Timer.start(meters);
    try {
      mailer.send(mail);
      sample.stop(meters.timer("hookflow.mail.send", "outcome", "sent"));
      return new StepResult.Done(input, Map.of());
    } catch (MailFailure e) {
      sample.stop(meters.timer("hookflow.mail.send", "outcome", "failed"));
      return e.permanent()
          ? new StepResult.Failed(input, e.getMessage())
          : new StepResult.RetryLater(input, e.getMessage(), Optional.empty());
    }
  }

  /** Renders each address template; an entry that renders empty is left out. */
  private static List<String> addresses(List<Template> templates, Map<String, Object> variables)
      throws AddressException {
    List<String> addresses = new ArrayList<>();
    for (Template template : templates) {
      String rendered = template.render(variables);
      if (!rendered.isBlank()) {
        addresses.add(Headers.address(rendered));
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
