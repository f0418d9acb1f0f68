package io.hookflow.run;

/** What one step did in one attempt of a run, as stored in its history. */
record StepRecord(
    int index,
    String kind,
    String status,
    String input,
    String output,
    String error,
    long startedAt,
    long finishedAt) {}
