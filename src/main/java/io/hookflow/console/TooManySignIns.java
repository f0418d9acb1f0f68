package io.hookflow.console;

import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in refused without checking its password, because more passwords were offered than the
 * service checks a second ({@link RememberedPasswords}). Answered with 429 to scripts and with its
 * own message on the sign-in page.
 */
class TooManySignIns extends AuthenticationException {

  static final String MESSAGE = "too many sign-in attempts; try again in a moment";

  TooManySignIns() {
    super(MESSAGE);
  }

  /** Whether the failure, or one of its causes, is this one. */
  static boolean in(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof TooManySignIns) {
        return true;
      }
    }
    return false;
  }
}
