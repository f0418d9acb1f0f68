package io.hookflow.okta;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which Okta setting stops the start, in a sentence rather than a stack trace. */
class OktaFailureAnalyzer extends AbstractFailureAnalyzer<OktaSettingsException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, OktaSettingsException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Correct the hookflow.okta.* settings (README, \"Okta API\"), or leave"
            + " hookflow.okta.org-url unset to run without Okta's API (the event hook works"
            + " without it).",
        cause);
  }
}
