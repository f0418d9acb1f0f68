package io.hookflow.run;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One step of one attempt, as recorded. For an email step, {@code input} is the message as sent.
 *
 * @param status {@code done}, {@code retry} or {@code failed}
 */
public record StepView(
    int attempt,
    int index,
    String kind,
    String status,
    JsonNode input,
    JsonNode output,
    String error,
    Instant startedAt,
    Instant finishedAt,
    long durationMs) {}
