package io.hookflow.flow;

import java.util.List;

/** Flow files that cannot run; each problem names its file and place. */
public class FlowDefinitionException extends RuntimeException {

  private final List<String> problems;

  public FlowDefinitionException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
