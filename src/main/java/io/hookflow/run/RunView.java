package io.hookflow.run;

import java.time.Instant;
import java.util.List;

/**
 * A run as people and scripts see it, with what its event was about and every attempt's steps.
 *
 * @param state {@code pending}, {@code running}, {@code retrying}, {@code succeeded} or {@code
 *     failed}
 * @param nextAttemptAt while it waits, when it is due: a time past means due now (a retry is made
 *     due just before the runs already waiting)
 * @param steps every step of every attempt, in order
 */
public record RunView(
    String id,
    String flow,
    String eventUuid,
    String state,
    int attempts,
    String lastError,
    Instant createdAt,
    Instant updatedAt,
    Instant nextAttemptAt,
    String eventType,
    String user,
    String application,
    List<StepView> steps) {

  RunView withSteps(List<StepView> all) {
    return new RunView(
        id,
        flow,
        eventUuid,
        state,
        attempts,
        lastError,
        createdAt,
        updatedAt,
        nextAttemptAt,
        eventType,
        user,
        application,
        List.copyOf(all));
  }
}
