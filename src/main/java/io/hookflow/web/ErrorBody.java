package io.hookflow.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** The JSON every refusal carries: {@code {"status": 404, "error": "Not Found", "message": …}}. */
public final class ErrorBody {

  /**
   * The request attribute that holds the message of a refusal already written: should the container
   * still answer with its error page (Tomcat does when reading the body failed), that page says it
   * too ({@link ErrorBodyAttributes}).
   */
  public static final String MESSAGE = ErrorBody.class.getName() + ".message";

  private ErrorBody() {}

  public static Map<String, Object> of(HttpStatus status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", status.getReasonPhrase());
    body.put("message", message);
    return body;
  }

  /** Answers with this body, where no message converter stands between the code and the wire. */
  public static void write(
      JsonMapper json, HttpServletResponse response, HttpStatus status, String message)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), of(status, message));
  }
}
