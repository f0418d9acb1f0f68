package io.hookflow.step;

import java.util.List;

/** One card of a flow. Steps are values read from a flow file; handlers give them behaviour. */
public sealed interface Step permits GetStep, ComposeStep, EmailStep, OktaUserStep {

  /** The step's key in a flow file, e.g. {@code compose}. */
  String kind();

  /**
   * Whether running the step again would be seen outside (a second email). Such a step that
   * succeeded in an earlier attempt of a run is not run again; its recorded output is reused.
   */
  default boolean sideEffect() {
    return false;
  }

  /**
   * What the step says, as one text that changes whenever its flow file makes it do something else
   * (and not for whitespace, comments or the order of keys). A step with a {@link #sideEffect} done
   * in an earlier attempt of a run is known by it, wherever an edit of the flow moved it.
   */
  String definition();

  /**
   * Joins the parts of a definition so that no two differing lists of parts give one text: each
   * part with its length, a list as its size and its elements.
   */
  static String definitionOf(Object... parts) {
    StringBuilder text = new StringBuilder();
    for (Object part : parts) {
      append(text, part);
    }
    return text.toString();
  }

  private static void append(StringBuilder text, Object part) {
    if (part instanceof List<?> list) {
      text.append('[').append(list.size()).append(']');
      list.forEach(element -> append(text, element));
    } else {
      String value = String.valueOf(part);
      text.append(value.length()).append(':').append(value).append(';');
    }
  }
}
