package io.hookflow.flow;

import io.hookflow.step.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A flow read from a YAML file: when it runs and what it does.
 *
 * @param name unique among the flows; runs refer to their flow by it
 * @param file where it was read from
 * @param stepKeys for each step with a {@linkplain Step#sideEffect side effect}, its key in the run
 *     history, null for the others: a digest of its {@linkplain Step#definition definition} and of
 *     how many steps before it in the flow have the same one. A later attempt of a run knows a
 *     message it already sent by that key, so an edit of the flow between attempts that moves the
 *     step, or puts another in its place, neither sends it again nor skips the other.
 */
public record Flow(
    String name, Path file, Trigger trigger, List<Step> steps, List<String> stepKeys) {

  public Flow(String name, Path file, Trigger trigger, List<Step> steps) {
    this(name, file, trigger, steps, keysOf(steps));
  }

  /** The numbers of this flow's steps of a kind, counted from 1 as messages name steps. */
  public List<Integer> stepNumbers(Class<? extends Step> kind) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (kind.isInstance(steps.get(i))) {
        numbers.add(i + 1);
      }
    }
    return numbers;
  }

  private static List<String> keysOf(List<Step> steps) {
    List<String> keys = new ArrayList<>(steps.size());
    Map<String, Integer> seen = new HashMap<>();
    for (Step step : steps) {
      if (step.sideEffect()) {
        String definition = step.definition();
        int same = seen.merge(definition, 1, Integer::sum);
        keys.add(digest(definition + "\n#" + same));
      } else {
        keys.add(null);
      }
    }
    return Collections.unmodifiableList(keys);
  }

  private static String digest(String text) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
