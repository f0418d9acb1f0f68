package io.hookflow.event;

/** An event, or a delivery of events, that does not have the shape Okta gives it. */
public class InvalidEventException extends RuntimeException {

  public InvalidEventException(String message) {
    super(message);
  }
}
