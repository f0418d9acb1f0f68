package io.hookflow.step;

import java.util.Map;

/**
 * Object - Get Multiple: reads fields of the event by dot path, with 0-based list indexes.
 *
 * @param fields output name to path, e.g. {@code appLabel -> target.1.alternateId}
 */
public record GetStep(Map<String, String> fields) implements Step {

  @Override
  public String kind() {
    return "get";
  }
}
