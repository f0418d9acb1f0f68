package io.hookflow.okta;

/**
 * The Okta settings cannot work: the org URL is not one, no credentials are given, or Okta refuses
 * them. Start-up stops with its message ({@link OktaFailureAnalyzer}), which names the setting.
 */
public class OktaSettingsException extends RuntimeException {

  OktaSettingsException(String message) {
    super(message);
  }

  OktaSettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
