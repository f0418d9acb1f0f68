package io.hookflow.run;

import io.hookflow.HookflowProperties;
import java.time.Duration;
import java.time.Instant;

/** Exponential backoff as data: when the next attempt may start, and when to give up. */
record RetryPolicy(int maxAttempts, Duration initial, double multiplier, Duration max) {

  static RetryPolicy of(HookflowProperties.Retry retry) {
    return new RetryPolicy(
        Math.max(1, retry.maxAttempts()),
        retry.initialBackoff(),
        Math.max(1.0, retry.multiplier()),
        retry.maxBackoff());
  }

  /** Whether a run that has made this many attempts may make another. */
  boolean allowsAnotherAfter(int attempts) {
    return attempts < maxAttempts;
  }

  /** When the attempt after the given one may start. */
  Instant nextAfter(int attempt, Instant now) {
    double factor = Math.pow(multiplier, Math.max(0, attempt - 1));
    double millis = Math.min(initial.toMillis() * factor, max.toMillis());
    return now.plusMillis((long) millis);
  }
}
