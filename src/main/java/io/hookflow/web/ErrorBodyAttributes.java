package io.hookflow.web;

import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * What the container's error page (Spring Boot's {@code /error}, for requests refused outside
 * hookflow's handlers) says: hookflow's error body, with the message hookflow had already refused
 * the request with ({@link ErrorBody#MESSAGE}) where the container answers in its place, else the
 * status's reason. (A path Spring Security's firewall refuses arrives here as a bare 400: its
 * handler sends the status, not the exception.)
 */
@Component
class ErrorBodyAttributes extends DefaultErrorAttributes {

  @Override
  public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
    Object code =
        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE, RequestAttributes.SCOPE_REQUEST);
    HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
    if (status == null) {
      return super.getErrorAttributes(request, options);
    }
    Object refusal = request.getAttribute(ErrorBody.MESSAGE, RequestAttributes.SCOPE_REQUEST);
    if (refusal instanceof String message) {
      return ErrorBody.of(status, message);
    }
    return ErrorBody.of(status, status.getReasonPhrase());
  }
}
