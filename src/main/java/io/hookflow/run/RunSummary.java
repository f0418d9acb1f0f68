package io.hookflow.run;

/** A run as listed: which event, which flow, where it is. */
public record RunSummary(
    String id, String eventUuid, String flow, RunState state, int attempts, String lastError) {}
