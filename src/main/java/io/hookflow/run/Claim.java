package io.hookflow.run;

/** A run taken by one worker, under a lease, for one attempt. */
record Claim(String runId, String eventUuid, String flow, int attempt, String owner) {}
