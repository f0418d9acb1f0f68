package io.hookflow.okta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.okta.sdk.resource.client.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Okta said no, or could not be reached ({@code status} 0). The message reads as Okta's error
 * ({@code E0000011: Invalid token provided}) with a hint where a setting is the likely cause.
 */
public class OktaException extends RuntimeException {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Never a shorter wait after a 429: a reset that seems past (clocks apart) is not one yet, and
   * asking again at once would only be refused again.
   */
  static final Duration LEAST_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

  private final int status;
  private final String errorCode;

  private final Instant retryAt;
  private final Duration retryAfter;

  OktaException(int status, String errorCode, String message, Instant retryAt, Throwable cause) {
    this(status, errorCode, message, retryAt, null, cause);
  }

  private OktaException(
      int status,
      String errorCode,
      String message,
      Instant retryAt,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
    this.retryAt = retryAt;
    this.retryAfter = retryAfter;
  }

  static OktaException of(String method, String path, ApiException e) {
    if (e.getCode() == 0) {
      return new OktaException(0, null, OktaApi.noAnswer("", e), null, e);
    }
    String code = null;
    StringBuilder message = new StringBuilder();
    try {
      JsonNode body = e.getResponseBody() == null ? null : JSON.readTree(e.getResponseBody());
      if (body != null && body.hasNonNull("errorCode")) {
        code = body.path("errorCode").asText();
        message.append(code).append(": ").append(body.path("errorSummary").asText(""));
        for (JsonNode cause : body.path("errorCauses")) {
          message.append("; ").append(cause.path("errorSummary").asText(""));
        }
      }
    } catch (Exception notJson) {
      // the status line below still says what happened
    }
    if (message.isEmpty()) {
      message.append("HTTP ").append(e.getCode());
    }
    message.append(" (").append(method).append(' ').append(stripQuery(path)).append(')');
    message.append(hint(e.getCode()));
    Instant retryAt = null;
    Duration retryAfter = null;
    if (e.getCode() == 429) {
      retryAt = OktaApi.rateLimitReset(e.getResponseHeaders()).orElse(null);
      retryAfter = OktaApi.untilReset(e.getResponseHeaders()).orElse(null);
    }
    return new OktaException(e.getCode(), code, message.toString(), retryAt, retryAfter, e);
  }

  private static String hint(int status) {
    return switch (status) {
      case 401 -> ": check hookflow.okta.api-token (or the OAuth client id and key)";
      case 403 ->
          ": the token's admin role or the service app's scopes do not allow this"
              + " (needed: okta.logs.read okta.users.read okta.eventHooks.manage okta.apps.read)";
      case 429 -> ": Okta's rate limit";
      default -> "";
    };
  }

  private static String stripQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** The HTTP status, or 0 when Okta could not be reached. */
  public int status() {
    return status;
  }

  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** For a 429: when Okta's rate limit resets, if it said. */
  public Optional<Instant> retryAt() {
    return Optional.ofNullable(retryAt);
  }

  /**
   * For a 429: how long until Okta's rate limit resets, counted on Okta's clock (its reset time
   * less the time of its answer), so that a local clock running ahead of Okta's does not make the
   * wait come out shorter, or nothing; empty if Okta did not say both.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * For a 429: how long to wait for Okta's reset, counted on Okta's clock where it said both times
   * ({@link #retryAfter}), else until {@link #retryAt} by {@code clock}; empty if it said neither.
   * Callers wait at least {@link #LEAST_RATE_LIMIT_WAIT}.
   */
  Optional<Duration> untilReset(Clock clock) {
    return retryAfter().or(() -> retryAt().map(at -> Duration.between(clock.instant(), at)));
  }

  public boolean rateLimited() {
    return status == 429;
  }

  /** Whether trying again later may help: Okta away, busy or rate limiting. */
  public boolean transientFailure() {
    return status == 0 || status == 429 || status >= 500;
  }
}
