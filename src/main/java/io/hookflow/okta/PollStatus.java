package io.hookflow.okta;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the poller last did, for health details, the lag metric, the console and {@code okta
 * status}.
 */
public final class PollStatus {

  private final Clock clock;
  private volatile Instant lastPoll;
  private volatile Instant newestEvent;
  private volatile String lastError;
  private volatile int errors;
  private volatile Instant rateLimitedUntil;
  private volatile boolean standby;

  PollStatus(Clock clock) {
    this.clock = clock;
  }

  void polled(Instant newest) {
    lastPoll = clock.instant();
    if (newest != null) {
      newestEvent = newest;
    }
    errors = 0;
    lastError = null;
    rateLimitedUntil = null;
    standby = false;
  }

  void seen(Instant newest) {
    if (newest != null) {
      newestEvent = newest;
    }
  }

  void standby() {
    standby = true;
  }

  void rateLimited(Instant until) {
    rateLimitedUntil = until;
  }

  int failed(String error) {
    lastError = error;
    return ++errors;
  }

  int errors() {
    return errors;
  }

  /** Now minus the newest event seen; empty until one was seen. */
  Optional<Duration> lag() {
    Instant newest = newestEvent;
    return newest == null
        ? Optional.empty()
        : Optional.of(max(Duration.ZERO, Duration.between(newest, clock.instant())));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Last poll, newest event, lag, errors: only what is known. */
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("lastPoll", lastPoll == null ? null : lastPoll.toString());
    details.put("newestEvent", newestEvent == null ? null : newestEvent.toString());
    details.put("lagSeconds", lag().map(Duration::toSeconds).orElse(null));
    details.put("consecutiveErrors", errors);
    details.put("lastError", lastError);
    details.put("rateLimitedUntil", rateLimitedUntil == null ? null : rateLimitedUntil.toString());
    details.put("standby", standby);
    details.values().removeIf(v -> v == null);
    return details;
  }
}
