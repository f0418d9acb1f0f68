package io.hookflow.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where exceptions become HTTP statuses and JSON error bodies; a browser at an
 * address with nothing behind it gets the console's error page instead.
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final JsonMapper json;

  ApiErrors(JsonMapper json) {
    this.json = json;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> refused(ApiException e) {
    return body(e.status(), e.getMessage());
  }

  /**
   * Nothing at the path. A browser (it asks for HTML by name) gets the console's error page; every
   * other client the JSON body, as for any error.
   */
  @ExceptionHandler(NoResourceFoundException.class)
  ModelAndView notFound(
      NoResourceFoundException e, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HttpStatus status = HttpStatus.NOT_FOUND;
    if (!asksForHtml(request.getHeader(HttpHeaders.ACCEPT))) {
      ErrorBody.write(json, response, status, status.getReasonPhrase());
      return null;
    }
    return ErrorPage.of(status, "There is no page at this address.", request);
  }

  private static boolean asksForHtml(String accept) {
    if (accept == null) {
      return false;
    }
    try {
      return MediaType.parseMediaTypes(accept).stream()
          .anyMatch(type -> type.getType().equals("text") && type.getSubtype().equals("html"));
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> unexpected(Exception e) {
    if (e instanceof ErrorResponse known) {
      HttpStatus status = HttpStatus.valueOf(known.getStatusCode().value());
      return body(status, status.getReasonPhrase());
    }
    if (e instanceof InvalidParameterException unreadable) {
      return body(ErrorBody.unreadableParameters(unreadable), ErrorBody.UNREADABLE_PARAMETERS);
    }
    log.error("request failed", e);
    return body(HttpStatus.INTERNAL_SERVER_ERROR, "internal error; nothing was acknowledged");
  }

  static ResponseEntity<Map<String, Object>> body(HttpStatus status, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(ErrorBody.of(status, message));
  }
}
