package io.hookflow.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly why a second hookflow on one SQLite database does not start, and what to do. */
class StoreInUseFailureAnalyzer extends AbstractFailureAnalyzer<StoreInUseException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StoreInUseException cause) {
    return new FailureAnalysis(
        cause.getMessage()
            + ". Two services on one SQLite database would run each other's runs again.",
        "Stop the other one first, or give this one a data folder of its own (hookflow.data)."
            + " Several instances sharing one database need PostgreSQL (README: \"Running several"
            + " instances\").",
        cause);
  }
}
