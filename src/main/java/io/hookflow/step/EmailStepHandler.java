package io.hookflow.step;

import io.hookflow.HookflowProperties;
import io.hookflow.mail.MailFailure;
import io.hookflow.mail.Mailer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

@Component
class EmailStepHandler implements StepHandler<EmailStep> {

  private final Mailer mailer;
  private final EmailRenderer renderer;
  private final MeterRegistry meters;
  private final Timer sent;
  private final Timer failed;

  EmailStepHandler(Mailer mailer, HookflowProperties properties, MeterRegistry meters) {
    this.mailer = mailer;
    this.renderer =
        new EmailRenderer(properties.mail().from(), properties.mail().messageIdDomain());
    this.meters = meters;
    this.sent = meters.timer("hookflow.mail.send", "outcome", "sent");
    this.failed = meters.timer("hookflow.mail.send", "outcome", "failed");
  }

  @Override
  public Class<EmailStep> type() {
    return EmailStep.class;
  }

  @Override
  public StepResult run(EmailStep step, RunContext context) {
    EmailRenderer.Rendered rendered = renderer.render(step, context);
    if (rendered.error() != null) {
      return new StepResult.Failed(rendered.input(), rendered.error());
    }
    Timer.Sample sample = Timer.start(meters);
    try {
      mailer.send(rendered.mail());
      sample.stop(sent);
      return new StepResult.Done(rendered.input(), Map.of());
    } catch (MailFailure e) {
      sample.stop(failed);
      return e.permanent()
          ? new StepResult.Failed(rendered.input(), e.getMessage())
          : new StepResult.RetryLater(rendered.input(), e.getMessage(), Optional.empty());
    }
  }
}
