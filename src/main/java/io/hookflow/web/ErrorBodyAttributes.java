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
 * Spring Boot's error attributes, except where hookflow had already refused the request with a
 * message ({@link ErrorBody#MESSAGE}) and the container answers in its place: then the error page
 * is hookflow's error body with that message, not a generic "Bad Request".
 */
@Component
class ErrorBodyAttributes extends DefaultErrorAttributes {

  @Override
  public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
    Object message = request.getAttribute(ErrorBody.MESSAGE, RequestAttributes.SCOPE_REQUEST);
    Object code =
        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE, RequestAttributes.SCOPE_REQUEST);
    HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
    if (message instanceof String refusal && status != null) {
      return ErrorBody.of(status, refusal);
    }
    return super.getErrorAttributes(request, options);
  }
}
