package io.hookflow.step;

import io.hookflow.HookflowProperties;
import io.hookflow.mail.MailFailure;
import io.hookflow.mail.Mailer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

  /**
   * Sends as {@link #run}, but the step's result comes once the server's acceptance is read, which
   * may be with the next message's commands (one round trip a message instead of two).
   */
  @Override
  public CompletableFuture<StepResult> runLast(EmailStep step, RunContext context) {
    EmailRenderer.Rendered rendered = renderer.render(step, context);
    if (rendered.error() != null) {
      return CompletableFuture.completedFuture(
          new StepResult.Failed(rendered.input(), rendered.error()));
    }
    Timer.Sample sample = Timer.start(meters);
    return mailer
        .sendConfirmedLater(rendered.mail())
        .handle(
            (accepted, error) -> {
              if (error == null) {
                sample.stop(sent);
                return new StepResult.Done(rendered.input(), Map.of());
              }
              sample.stop(failed);
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof MailFailure e) {
                return failure(rendered, e);
              }
              return new StepResult.Failed(
                  rendered.input(), step.kind() + " step failed: " + cause.getMessage());
            });
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
      return failure(rendered, e);
    }
  }

  private static StepResult failure(EmailRenderer.Rendered rendered, MailFailure e) {
    return e.permanent()
        ? new StepResult.Failed(rendered.input(), e.getMessage())
        : new StepResult.RetryLater(rendered.input(), e.getMessage(), Optional.empty());
  }
}
