package io.hookflow.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  @Override
  public String definition() {
    List<Object> pairs = new ArrayList<>();
    new TreeMap<>(fields).forEach((name, path) -> pairs.add(List.of(name, path)));
    return Step.definitionOf(kind(), pairs);
  }
}
