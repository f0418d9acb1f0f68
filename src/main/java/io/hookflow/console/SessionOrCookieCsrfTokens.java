package io.hookflow.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * The console's CSRF tokens: in the session once there is one (signing in makes it), and before
 * that in a cookie. A client that has not signed in then has nothing kept for it on the server: a
 * session made for each request of the sign-in page, kept for the session timeout (8 hours), would
 * let anyone fill the memory. The cookie's token only guards the sign-in form; signing in clears
 * it.
 */
final class SessionOrCookieCsrfTokens implements CsrfTokenRepository {

  static final String COOKIE = "HOOKFLOW_CSRF";

  private final HttpSessionCsrfTokenRepository session = new HttpSessionCsrfTokenRepository();
  private final CookieCsrfTokenRepository cookie = new CookieCsrfTokenRepository();

  SessionOrCookieCsrfTokens() {
    cookie.setCookieName(COOKIE);
    cookie.setHeaderName("X-CSRF-TOKEN");
    cookie.setCookieCustomizer(c -> c.sameSite("Lax"));
  }

  private CsrfTokenRepository of(HttpServletRequest request) {
    return request.getSession(false) != null ? session : cookie;
  }

  @Override
  public CsrfToken generateToken(HttpServletRequest request) {
    return of(request).generateToken(request);
  }

  @Override
  public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
    of(request).saveToken(token, request, response);
  }

  @Override
  public CsrfToken loadToken(HttpServletRequest request) {
    return of(request).loadToken(request);
  }
}
