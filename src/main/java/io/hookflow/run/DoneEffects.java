package io.hookflow.run;

import java.util.Map;

/**
 * The steps with effects outside (sent messages) that succeeded in earlier attempts of a run, with
 * their outputs: known by their {@linkplain io.hookflow.flow.Flow#stepKeys keys}, and those
 * recorded before steps had keys by their place in the flow.
 */
record DoneEffects(Map<String, String> byKey, Map<Integer, String> byIndex) {

  static final DoneEffects NONE = new DoneEffects(Map.of(), Map.of());

  /** Whether the step at {@code index} with {@code key} was done in an earlier attempt. */
  boolean contains(int index, String key) {
    return byKey.containsKey(key) || byIndex.containsKey(index);
  }

  /** Its output then (null if it had none). */
  String output(int index, String key) {
    return byKey.containsKey(key) ? byKey.get(key) : byIndex.get(index);
  }
}
