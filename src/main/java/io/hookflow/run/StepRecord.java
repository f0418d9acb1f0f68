package io.hookflow.run;

/**
 * What one step did in one attempt of a run, as stored in its history.
 *
 * @param key the step's key for a step with an effect outside ({@link
 *     io.hookflow.flow.Flow#stepKeys}), else null
 */
record StepRecord(
    int index,
    String kind,
    String key,
    String status,
    String input,
    String output,
    String error,
    long startedAt,
    long finishedAt) {}
