package io.hookflow;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says plainly which chosen secret is too short, without showing it, and what to do. */
class WeakSecretFailureAnalyzer extends AbstractFailureAnalyzer<WeakSecretException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, WeakSecretException cause) {
    return new FailureAnalysis(
        cause.getMessage()
            + ". Anyone who can reach hookflow can try values until one is accepted; a short one"
            + " would be found.",
        "Use a random value of at least "
            + Secrets.MINIMUM_LENGTH
            + " characters, e.g. from `openssl rand -base64 24`. Or leave the setting unset (and"
            + " delete the file, if that is where it came from): hookflow then generates one"
            + " into an owner-only file (the hook secret into hookflow.data/hook-secret, the"
            + " console password into hookflow.data/initial-console-password, its hash into"
            + " hookflow.data/console-password). A new hook secret goes into Okta's event hook"
            + " too (its Authentication secret).",
        cause);
  }
}
