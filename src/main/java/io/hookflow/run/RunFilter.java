package io.hookflow.run;

import java.time.Instant;

/**
 * Which runs to list; a null field does not narrow. {@code user} and {@code application} match any
 * part of the event's person (login or name) or application (label or id), whatever the case.
 *
 * @param from runs created at or after
 * @param to runs created before
 */
public record RunFilter(
    String flow, RunState state, String user, String application, Instant from, Instant to) {

  public static RunFilter none() {
    return new RunFilter(null, null, null, null, null, null);
  }

  public static RunFilter ofFlow(String flow) {
    return new RunFilter(flow, null, null, null, null, null);
  }
}
