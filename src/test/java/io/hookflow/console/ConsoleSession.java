package io.hookflow.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.TestInstance;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser without the browser: keeps the session cookie and posts forms with their token. */
public final class ConsoleSession {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final TestInstance hookflow;
  private final HttpClient http =
      HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

  public ConsoleSession(TestInstance hookflow) {
    this.hookflow = hookflow;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(hookflow.url(path))).GET().build());
  }

  /** As a browser asks for a page: with what it accepts. */
  public HttpResponse<String> get(String path, String accept) {
    return send(
        HttpRequest.newBuilder(URI.create(hookflow.url(path)))
            .header("Accept", accept)
            .GET()
            .build());
  }

  /** Posts a form as the page at {@code page} would, with that page's CSRF token. */
  HttpResponse<String> submit(String page, String action, Map<String, String> fields) {
    Matcher token = CSRF.matcher(get(page).body());
    assertThat(token.find()).as("CSRF token on " + page).isTrue();
    Map<String, String> form = new LinkedHashMap<>(fields);
    form.put("_csrf", token.group(1).replace("&#x3D;", "=").replace("&#61;", "="));
    return post(action, form);
  }

  HttpResponse<String> post(String action, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(hookflow.url(action)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  public HttpResponse<String> signIn(String password) {
    return submit("/login", "/login", Map.of("username", TestInstance.USER, "password", password));
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
