package io.hookflow.console;

import com.samskivert.mustache.Mustache;
import io.hookflow.web.ApiException;
import io.hookflow.web.ErrorBody;
import io.hookflow.web.ErrorPage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page shares: the CSRF token its forms carry, error pages in HTML rather than
 * the API's JSON, a template compiler that shows a missing value as nothing, and the login page.
 */
@ControllerAdvice(assignableTypes = ConsolePages.Page.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsolePages {

  private static final Logger log = LoggerFactory.getLogger(ConsolePages.class);

  /** Marks the controllers of HTML pages. */
  interface Page {}

  @ModelAttribute("csrf")
  CsrfToken csrf(HttpServletRequest request) {
    return (CsrfToken) request.getAttribute(CsrfToken.class.getName());
  }

  @ExceptionHandler(ApiException.class)
  ModelAndView refused(ApiException e, HttpServletRequest request, HttpServletResponse response) {
    return error(e.status(), e.getMessage(), request, response);
  }

  @ExceptionHandler(Exception.class)
  ModelAndView unexpected(Exception e, HttpServletRequest request, HttpServletResponse response) {
    if (e instanceof ErrorResponse known) {
      HttpStatus status = HttpStatus.valueOf(known.getStatusCode().value());
      return error(status, status.getReasonPhrase(), request, response);
    }
    if (e instanceof InvalidParameterException unreadable) {
      return error(
          ErrorBody.unreadableParameters(unreadable),
          ErrorBody.UNREADABLE_PARAMETERS,
          request,
          response);
    }
    log.error("console page failed", e);
    return error(
        HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong; see the log.", request, response);
  }

  static ModelAndView error(
      HttpStatus status, String message, HttpServletRequest request, HttpServletResponse response) {
    response.setStatus(status.value());
    return ErrorPage.of(status, message, request);
  }

  @Controller
  static class Login implements Page {

    @GetMapping("/login")
    ModelAndView login(HttpServletRequest request) {
      return new ModelAndView(
          "login",
          Map.of(
              "failed", request.getParameter("error") != null,
              "busy", request.getParameter("busy") != null,
              "signedOut", request.getParameter("logout") != null));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Templates {

    @Bean
    Mustache.Compiler mustacheCompiler(Mustache.TemplateLoader loader) {
      return Mustache.compiler().withLoader(loader).defaultValue("").emptyStringIsFalse(true);
    }
  }
}
