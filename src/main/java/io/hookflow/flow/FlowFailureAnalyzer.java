package io.hookflow.flow;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns invalid flow files into a start-up failure that reads like a compiler's errors. */
class FlowFailureAnalyzer extends AbstractFailureAnalyzer<FlowDefinitionException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, FlowDefinitionException cause) {
    String problems = String.join(System.lineSeparator(), cause.problems());
    return new FailureAnalysis(
        "Invalid flow files:" + System.lineSeparator() + problems,
        "Correct the flow files named above, then start hookflow again.",
        cause);
  }
}
