package io.hookflow.run;

import java.util.Locale;

/** Where a run is in its life. */
public enum RunState {
  PENDING,
  RUNNING,
  RETRYING,
  SUCCEEDED,
  FAILED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunState of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
