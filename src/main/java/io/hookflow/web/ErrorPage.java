package io.hookflow.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.servlet.ModelAndView;

/** The console's error page, for a browser. */
public final class ErrorPage {

  private ErrorPage() {}

  /**
   * The page for a status and a message. Its model is only what is given here (Spring runs no
   * {@code @ModelAttribute} method for an exception handler's page), so it carries the CSRF token
   * the header's sign-out form needs itself.
   */
  public static ModelAndView of(HttpStatus status, String message, HttpServletRequest request) {
    Map<String, Object> model = new HashMap<>();
    model.put("title", status.getReasonPhrase());
    model.put("message", message);
    model.put("csrf", request.getAttribute(CsrfToken.class.getName()));
    ModelAndView page = new ModelAndView("error-page", model);
    page.setStatus(status);
    return page;
  }
}
