package io.hookflow.store;

import org.flywaydb.core.internal.exception.sqlExceptions.FlywaySqlUnableToConnectToDbException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says in a sentence that the database could not be reached at start, rather than in some two
 * hundred lines of nested bean creation failures that bury it.
 */
class DatabaseUnreachableFailureAnalyzer
    extends AbstractFailureAnalyzer<FlywaySqlUnableToConnectToDbException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, FlywaySqlUnableToConnectToDbException cause) {
    return new FailureAnalysis(
        "hookflow could not connect to its database: " + StoreFailures.describe(cause),
        "Start the database or make it reachable, or correct spring.datasource.url, username and"
            + " password (README, \"Running several instances\"), then start hookflow again (a"
            + " service manager's restart policy does). It needs the database to start, to check"
            + " its tables; once running, it refuses deliveries (503) while the database is away"
            + " and takes them again when it is back.",
        cause);
  }
}
