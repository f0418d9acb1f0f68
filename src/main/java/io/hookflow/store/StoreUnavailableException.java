package io.hookflow.store;

/**
 * A write the store refused for its own reasons ({@link StoreFailures#ofTheStore}): nothing of it
 * is stored, and trying the same again later may pass.
 */
public class StoreUnavailableException extends RuntimeException {

  StoreUnavailableException(String reason, Throwable cause) {
    super("the store cannot take writes now: " + reason, cause);
  }
}
