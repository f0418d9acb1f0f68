package io.hookflow.run;

import io.hookflow.event.OktaEvent;

/**
 * A run taken by one worker, under a lease, for one attempt.
 *
 * @param event the event itself when intake handed it over in memory, else null
 * @param payload the stored event's JSON in UTF-8 when it was read with the claim, else null: the
 *     bytes as the store has them, parsed by the worker rather than decoded by the store's writer
 */
public record Claim(
    String runId,
    String eventUuid,
    String flow,
    int attempt,
    String owner,
    OktaEvent event,
    byte[] payload) {

  /** A run intake created already claimed, with its event in memory. */
  public static Claim handedOver(String runId, String flow, String owner, OktaEvent event) {
    return new Claim(runId, event.uuid(), flow, 1, owner, event, null);
  }
}
