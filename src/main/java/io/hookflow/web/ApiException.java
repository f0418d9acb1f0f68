package io.hookflow.web;

import org.springframework.http.HttpStatus;

/** A request we refuse, with the status and the words the caller gets back as JSON. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;

  public ApiException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }
}
