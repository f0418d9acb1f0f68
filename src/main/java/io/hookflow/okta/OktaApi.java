package io.hookflow.okta;

import com.okta.sdk.authc.credentials.TokenClientCredentials;
import com.okta.sdk.cache.Caches;
import com.okta.sdk.client.AuthorizationMode;
import com.okta.sdk.client.ClientBuilder;
import com.okta.sdk.client.Clients;
import com.okta.sdk.resource.client.ApiClient;
import com.okta.sdk.resource.client.ApiException;
import io.hookflow.HookflowProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Okta's management API through the official SDK's client (authentication, http), with bodies as
 * plain maps and lists: the SDK's Jackson 2 models never reach the rest of hookflow, and every
 * field Okta returns is kept.
 *
 * <p>The SDK's own retries are off: a 429 is surfaced as {@link OktaException#retryAt()} so that
 * callers wait without holding a thread (the poller schedules, a step is retried later).
 */
public class OktaApi {

  /** What to set when something needs Okta and no connection is configured. */
  public static final String NOT_CONNECTED =
      "no Okta connection: set hookflow.okta.org-url, and hookflow.okta.api-token or"
          + " hookflow.okta.client-id with hookflow.okta.private-key";

  private static final String[] AUTH = {"apiToken", "oauth2"};
  // Maps and lists: the SDK client caches GET results by converting them to a map, and skips
  // that only for types named List.
  private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> OBJECT =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};
  private static final com.fasterxml.jackson.core.type.TypeReference<List<Map<String, Object>>>
      LIST = new com.fasterxml.jackson.core.type.TypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ApiClient client;
  private final String orgUrl;

  OktaApi(ApiClient client, String orgUrl) {
    this.client = client;
    this.orgUrl = orgUrl;
  }

  /** Connects as configured: an API token (SSWS), or else an OAuth 2.0 service app. */
  public static OktaApi connect(HookflowProperties.Okta okta) {
    String orgUrl = orgUrl(okta.orgUrl());
    ClientBuilder builder =
        Clients.builder()
            .setOrgUrl(orgUrl)
            .setCacheManager(Caches.newDisabledCacheManager())
            .setRetryMaxAttempts(0)
            .setConnectionTimeout((int) Math.max(1, okta.timeout().toSeconds()));
    if (okta.apiToken() != null && !okta.apiToken().isBlank()) {
      builder.setClientCredentials(new TokenClientCredentials(okta.apiToken().strip()));
    } else if (okta.clientId() != null && okta.privateKey() != null) {
      builder
          .setAuthorizationMode(AuthorizationMode.PRIVATE_KEY)
          .setClientId(okta.clientId())
          .setScopes(new LinkedHashSet<>(okta.scopes()));
      String key = okta.privateKey().strip();
      if (key.startsWith("-----BEGIN")) {
        builder.setPrivateKey(key);
      } else {
        builder.setPrivateKey(Path.of(key));
      }
    } else {
      throw new OktaSettingsException(
          "hookflow.okta.org-url is set but neither hookflow.okta.api-token nor"
              + " hookflow.okta.client-id with hookflow.okta.private-key");
    }
    return new OktaApi(builder.build(), orgUrl);
  }

  /** The org URL as set, without trailing slashes, if it is one: {@code https://host[:port]}. */
  private static String orgUrl(String setting) {
    String orgUrl = setting.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = new URI(orgUrl);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getScheme() == null
        || !uri.getScheme().matches("(?i)https?")
        || uri.getHost() == null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null) {
      throw new OktaSettingsException(
          "hookflow.okta.org-url is '"
              + setting
              + "'; it must be the org's address alone, e.g. https://example.okta.com");
    }
    return orgUrl;
  }

  public String orgUrl() {
    return orgUrl;
  }

  /**
   * A response: its body as Okta sent it, its links by relation, and what is left of the rate limit
   * it counted against, if Okta said.
   */
  public record Response(JsonNode body, Map<String, String> links, Optional<RateLimit> rateLimit) {

    public Optional<String> next() {
      return Optional.ofNullable(links.get("next"));
    }

    /** The elements of a list body; none for any other body. */
    public List<JsonNode> list() {
      List<JsonNode> items = new ArrayList<>();
      if (body.isArray()) {
        body.forEach(items::add);
      }
      return items;
    }

    /** An object body as maps, lists and scalars, which templates walk. */
    public Map<String, Object> object() {
      return body.isObject()
          ? JSON.convertValue(body, new TypeReference<Map<String, Object>>() {})
          : Map.of();
    }
  }

  /**
   * GETs an object at a path with its query, e.g. {@code /api/v1/users/00u1}; an absolute URL (a
   * link Okta gave) is requested as given, on the org.
   */
  public Response get(String pathOrUrl) {
    return call("GET", pathOrUrl, null, OBJECT);
  }

  /** GETs a list, as {@link #get} does an object. */
  public Response list(String pathOrUrl) {
    return call("GET", pathOrUrl, null, LIST);
  }

  /** Sends a body (maps, lists and scalars) and reads the object Okta answers with. */
  public Response send(String method, String path, Object body) {
    return call(method, path, body, OBJECT);
  }

  /** Escapes one path segment, e.g. a user's id or login. */
  public String segment(String value) {
    return client.escapeString(value);
  }

  private Response call(
      String method,
      String pathOrUrl,
      Object body,
      com.fasterxml.jackson.core.type.TypeReference<?> type) {
    String path = relative(pathOrUrl);
    try {
      Object result =
          client.invokeAPI(
              path,
              method,
              List.of(),
              List.of(),
              null,
              body,
              new HashMap<>(),
              new HashMap<>(),
              new HashMap<>(),
              "application/json",
              "application/json",
              AUTH,
              type);
      JsonNode parsed = result == null ? JSON.missingNode() : JSON.valueToTree(result);
      Map<String, List<String>> headers = client.getResponseHeaders();
      return new Response(parsed, Links.parse(headers), RateLimit.of(headers));
    } catch (ApiException e) {
      throw OktaException.of(method, path, e);
    } catch (RuntimeException e) {
      throw new OktaException(0, null, noAnswer(" at " + orgUrl, e), null, e);
    }
  }

  /** The path and query of a link, so that requests always go to the configured org. */
  private static String relative(String pathOrUrl) {
    if (pathOrUrl.startsWith("/")) {
      return pathOrUrl;
    }
    URI uri = URI.create(pathOrUrl);
    if (uri.getScheme() == null) {
      return "/" + pathOrUrl;
    }
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /**
   * What a failure without an HTTP status says: that Okta ({@code where}) could not be reached, or
   * that it answered with something that is not JSON (a proxy's error page, say).
   */
  static String noAnswer(String where, Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException
          || cause instanceof tools.jackson.core.JacksonException) {
        return "Okta" + where + " answered with something that is not JSON: " + rootMessage(e);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "cannot reach Okta" + where + ": " + rootMessage(e);
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /**
   * Okta's rate limit for an endpoint, as one response left it: {@code remaining} of {@code limit}
   * requests until it resets, {@code untilReset} from now on Okta's clock.
   */
  public record RateLimit(int limit, int remaining, Duration untilReset) {

    /** Read from a response's headers; empty unless Okta gave limit, remaining, reset and date. */
    static Optional<RateLimit> of(Map<String, List<String>> headers) {
      try {
        Optional<String> limit = header(headers, "X-Rate-Limit-Limit");
        Optional<String> remaining = header(headers, "X-Rate-Limit-Remaining");
        Optional<Duration> untilReset = OktaApi.untilReset(headers);
        if (limit.isEmpty() || remaining.isEmpty() || untilReset.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(
            new RateLimit(
                Integer.parseInt(limit.get()),
                Integer.parseInt(remaining.get()),
                untilReset.get()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** Whether no more than a tenth is left: what other integrations of the org may need. */
    public boolean nearlySpent() {
      return remaining <= limit / 10;
    }
  }

  /**
   * How long until the rate limit resets, counted on Okta's clock (X-Rate-Limit-Reset less the
   * response's Date), so that a local clock apart from Okta's does not shorten the wait; empty
   * unless Okta gave both.
   */
  static Optional<Duration> untilReset(Map<String, List<String>> headers) {
    Optional<Instant> reset = rateLimitReset(headers);
    Optional<Instant> date = date(headers);
    return reset.isEmpty() || date.isEmpty()
        ? Optional.empty()
        : Optional.of(Duration.between(date.get(), reset.get()));
  }

  /** When Okta answered, by its own clock (the Date header), if it said. */
  private static Optional<Instant> date(Map<String, List<String>> headers) {
    try {
      return header(headers, "Date")
          .map(value -> Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value)));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /** When Okta said a rate limit resets, if it said (epoch seconds in X-Rate-Limit-Reset). */
  static Optional<Instant> rateLimitReset(Map<String, List<String>> headers) {
    try {
      return header(headers, "X-Rate-Limit-Reset")
          .map(value -> Instant.ofEpochSecond(Long.parseLong(value)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The first value of a response header, whatever the case of its name. */
  private static Optional<String> header(Map<String, List<String>> headers, String name) {
    if (headers == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (name.equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
        return Optional.of(header.getValue().get(0).strip());
      }
    }
    return Optional.empty();
  }
}
