package io.hookflow.run;

import io.hookflow.event.OktaEvent;

/**
 * A run taken by one worker, under a lease, for one attempt.
 *
 * @param event the event itself when intake handed it over in memory; null when it must be read
 *     from the store
 */
public record Claim(
    String runId, String eventUuid, String flow, int attempt, String owner, OktaEvent event) {}
