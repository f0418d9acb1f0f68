package io.hookflow.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
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

  /**
   * What a request with parameters Tomcat could not decode ({@link #unreadableParameters}) is told.
   */
  public static final String UNREADABLE_PARAMETERS =
      "the request's parameters could not be read (they must be percent-encoded UTF-8)";

  private ErrorBody() {}

  /**
   * The status of a request whose query or form Tomcat could not decode (not percent-encoded UTF-8,
   * too many parameters): the client's mistake, not the service's, whoever asks.
   */
  public static HttpStatus unreadableParameters(InvalidParameterException e) {
    HttpStatus status = HttpStatus.resolve(e.getErrorCode());
    return status != null && status.is4xxClientError() ? status : HttpStatus.BAD_REQUEST;
  }

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
