package io.hookflow.okta;

/** Finds the {@link OktaSettingsException} that stopped a start, among the wrapping exceptions. */
final class SettingsFailure {

  private SettingsFailure() {}

  static OktaSettingsException in(Throwable thrown) {
    for (Throwable e = thrown; e != null; e = e.getCause()) {
      if (e instanceof OktaSettingsException settings) {
        return settings;
      }
    }
    throw new AssertionError("no OktaSettingsException behind " + thrown, thrown);
  }
}
