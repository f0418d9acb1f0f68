package io.hookflow;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Names the settings hookflow does not know, and what to do about them. */
class UnknownSettingFailureAnalyzer
    extends AbstractFailureAnalyzer<UnknownSettings.UnknownSettingException> {

  @Override
  protected FailureAnalysis analyze(
      Throwable rootFailure, UnknownSettings.UnknownSettingException cause) {
    return new FailureAnalysis(
        cause.getMessage()
            + "\nA misspelt setting would be ignored and its default taken, so hookflow does not"
            + " start.",
        "Correct the name, or remove the setting: README.md (Settings) lists every one.",
        cause);
  }
}
