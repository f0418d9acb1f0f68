package io.hookflow.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The JSON every refusal carries: {@code {"status": 404, "error": "Not Found", "message": …}}. */
public final class ErrorBody {

  private ErrorBody() {}

  public static Map<String, Object> of(HttpStatus status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", status.getReasonPhrase());
    body.put("message", message);
    return body;
  }
}
