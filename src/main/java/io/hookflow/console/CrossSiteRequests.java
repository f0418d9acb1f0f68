package io.hookflow.console;

import io.hookflow.web.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses requests that change something in the JSON API when a browser says they come from another
 * site. The API has no CSRF token (scripts call it with HTTP Basic), and a browser that once
 * answered its Basic challenge sends the password with every request to it, also a form another
 * site posts. Browsers mark such requests: {@code Sec-Fetch-Site} (current ones) or an {@code
 * Origin} that is not this service (older ones). Scripts send neither, and pass.
 */
final class CrossSiteRequests extends OncePerRequestFilter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
  private static final Set<String> SAME_SITE = Set.of("same-origin", "none");

  private final JsonMapper json;

  CrossSiteRequests(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (SAFE.contains(request.getMethod()) || !fromAnotherSite(request)) {
      chain.doFilter(request, response);
      return;
    }
    ErrorBody.write(
        json,
        response,
        HttpStatus.FORBIDDEN,
        "the API takes no requests that change something from a page of another site; call it"
            + " from a script or the command line");
  }

  static boolean fromAnotherSite(HttpServletRequest request) {
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null) {
      return !SAME_SITE.contains(site.toLowerCase(Locale.ROOT));
    }
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return false;
    }
    try {
      URI from = URI.create(origin);
      String host = request.getHeader("Host");
      String authority = from.getRawAuthority();
      return authority == null
          || !(authority.equalsIgnoreCase(host)
              || (from.getScheme() + "://" + authority)
                  .equalsIgnoreCase(
                      request.getScheme()
                          + "://"
                          + request.getServerName()
                          + ":"
                          + request.getServerPort()));
    } catch (IllegalArgumentException e) {
      return true; // "null" (a sandboxed page, a redirect) or garbage: not this service
    }
  }
}
