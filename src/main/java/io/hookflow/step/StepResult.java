package io.hookflow.step;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** How a step ended. Failures are values: a step never throws for a failure it understands. */
public sealed interface StepResult {

  /** What the step worked on, as recorded in the run's history. */
  Object input();

  /** Finished; {@code output} becomes visible to later steps under its keys. */
  record Done(Object input, Map<String, Object> output) implements StepResult {}

  /** May pass later (an SMTP server away, a rate limit); not before {@code notBefore} if given. */
  record RetryLater(Object input, String error, Optional<Instant> notBefore)
      implements StepResult {}

  /** Will not pass by trying again (an invalid address); the run fails at once. */
  record Failed(Object input, String error) implements StepResult {}
}
