package io.hookflow.mail;

import io.hookflow.HookflowProperties;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens for SMTP XOAUTH2 (Gmail), refreshed from a client id, secret and refresh token
 * shortly before they expire.
 */
class OAuth2Tokens {

  private static final Duration EARLY = Duration.ofSeconds(60);

  private final HookflowProperties.OAuth2 settings;
  private final JsonMapper json;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String token;
  private Instant expires = Instant.MIN;

  OAuth2Tokens(HookflowProperties.OAuth2 settings, JsonMapper json, Clock clock) {
    this.settings = settings;
    this.json = json;
    this.clock = clock;
  }

  synchronized String accessToken() throws MailFailure {
    if (token == null || !clock.instant().isBefore(expires.minus(EARLY))) {
      refresh();
    }
    return token;
  }

  synchronized void invalidate() {
    token = null;
  }

  private void refresh() throws MailFailure {
    String form =
        Map.of(
                "grant_type", "refresh_token",
                "client_id", nullToEmpty(settings.clientId()),
                "client_secret", nullToEmpty(settings.clientSecret()),
                "refresh_token", settings.refreshToken())
            .entrySet()
            .stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(settings.tokenUri()))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(response.body());
      String accessToken = body.path("access_token").asString(null);
      if (response.statusCode() != 200 || accessToken == null) {
        // The body names the error (e.g. invalid_grant) but never a token: safe to report.
        throw new MailFailure(
            "OAuth 2.0 token refresh failed: HTTP "
                + response.statusCode()
                + " "
                + body.path("error").asString(""),
            false,
            null);
      }
      token = accessToken;
      expires = clock.instant().plusSeconds(body.path("expires_in").asLong(3600));
    } catch (IOException | RuntimeException e) {
      throw new MailFailure("OAuth 2.0 token refresh failed: " + e.getMessage(), false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailFailure("interrupted while refreshing the OAuth 2.0 token", false, e);
    }
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
