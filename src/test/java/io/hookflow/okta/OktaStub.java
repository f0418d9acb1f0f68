package io.hookflow.okta;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hookflow.Fixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Okta's management API as its documentation shows it, for the parts hookflow uses: the System Log
 * in polling mode (opaque {@code after} cursors in {@code Link} headers, a next link even on an
 * empty page), users, apps, event hooks with verification, {@code X-Rate-Limit-*} headers, 429s and
 * {@code E0000…} error bodies. Only loopback; the token is checked as SSWS.
 */
final class OktaStub implements AutoCloseable {

  static final String TOKEN = "00stub-api-token-for-tests";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern EVENT_TYPE = Pattern.compile("eventType eq \"([^\"]+)\"");

  private final HttpServer server;
  private final String base;
  private final Clock clock;

  /** The System Log, in the order Okta persisted it. */
  private final List<ObjectNode> log = new CopyOnWriteArrayList<>();

  /** Opaque cursor to the position after which it continues. */
  private final Map<String, Integer> cursors = new ConcurrentHashMap<>();

  private final Map<String, ObjectNode> users = new ConcurrentHashMap<>();

  /** OAuth 2.0 access tokens issued to the service app, with their scopes. */
  private final Map<String, List<String>> accessTokens = new ConcurrentHashMap<>();

  private final List<ObjectNode> apps = new CopyOnWriteArrayList<>();
  private final Map<String, ObjectNode> hooks = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> verificationFailures = new CopyOnWriteArrayList<>();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final AtomicInteger emptyPages = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger garbled = new AtomicInteger();
  private final AtomicInteger refusedTokens = new AtomicInteger();
  private final AtomicInteger repeatedNext = new AtomicInteger();
  private volatile long rateLimitReset;
  private volatile int remaining = 599;
  private volatile Instant windowReset;
  private volatile int pageSize = 2;
  private final AtomicInteger ids = new AtomicInteger();

  OktaStub(Clock clock) {
    this.clock = clock;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String orgUrl() {
    return base;
  }

  /** Adds events to the System Log. */
  OktaStub log(ObjectNode... events) {
    log.addAll(List.of(events));
    return this;
  }

  OktaStub user(ObjectNode user) {
    users.put(user.get("id").asString(), user);
    return this;
  }

  OktaStub app(String id, String label) {
    ObjectNode app = Fixtures.JSON.createObjectNode();
    app.put("id", id).put("name", "stub_app").put("label", label).put("status", "ACTIVE");
    apps.add(app);
    return this;
  }

  OktaStub pageSize(int size) {
    this.pageSize = size;
    return this;
  }

  /** The next {@code count} requests are answered 429 until the given time. */
  OktaStub rateLimit(int count, Instant reset) {
    rateLimitReset = reset.getEpochSecond();
    rateLimited.set(count);
    return this;
  }

  /** Answers with {@code remaining} of 600 requests left until {@code reset}. */
  OktaStub rateLimitWindow(int remaining, Instant reset) {
    this.remaining = remaining;
    this.windowReset = reset;
    return this;
  }

  /** The next {@code count} requests fail with a 500, as Okta does when something breaks. */
  OktaStub fail(int count) {
    failures.set(count);
    return this;
  }

  /**
   * The next {@code count} requests are refused with a 401, as Okta refuses a token that expired or
   * was revoked until it is replaced.
   */
  OktaStub refuseTokens(int count) {
    refusedTokens.set(count);
    return this;
  }

  /** The next {@code count} requests are answered 200 with a body that is not JSON. */
  OktaStub garble(int count) {
    garbled.set(count);
    return this;
  }

  /**
   * The next {@code count} System Log pages give the request's own URL as their next link: the same
   * page again, events and all.
   */
  OktaStub repeatNext(int count) {
    repeatedNext.set(count);
    return this;
  }

  /** The next {@code count} System Log pages are empty but carry a next link, as Okta may. */
  OktaStub emptyPages(int count) {
    emptyPages.set(count);
    return this;
  }

  /** A request as received, and when. */
  record Request(String method, URI uri, Instant at) {

    String query(String name) {
      return OktaStub.query(uri).get(name);
    }
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.uri().getPath().equals(path)).toList();
  }

  List<ObjectNode> hooks() {
    synchronized (hooks) {
      return List.copyOf(hooks.values());
    }
  }

  List<String> verificationFailures() {
    return List.copyOf(verificationFailures);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      requests.add(new Request(exchange.getRequestMethod(), uri, clock.instant()));
      if (exchange.getRequestMethod().equals("POST") && uri.getPath().equals("/oauth2/v1/token")) {
        token(exchange);
        return;
      }
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      List<String> scopes =
          auth == null ? null : accessTokens.get(auth.replaceFirst("^Bearer ", ""));
      if (!("SSWS " + TOKEN).equals(auth) && (scopes == null || !auth.startsWith("Bearer "))
          || refusedTokens.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(exchange, 401, "E0000011", "Invalid token provided");
        return;
      }
      String needed = scope(uri.getPath());
      if (scopes != null && !scopes.contains(needed)) {
        exchange
            .getResponseHeaders()
            .set(
                "WWW-Authenticate",
                "Bearer authorization_uri=\""
                    + base
                    + "/oauth2/v1/authorize\", realm=\""
                    + base
                    + "\", scope=\""
                    + needed
                    + "\", error=\"insufficient_scope\","
                    + " error_description=\"The access token provided does not contain the"
                    + " required scopes.\", resource=\""
                    + uri.getPath()
                    + "\"");
        error(
            exchange,
            403,
            "E0000006",
            "You do not have permission to perform the requested action");
        return;
      }
      if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.getResponseHeaders().set("X-Rate-Limit-Limit", "60");
        exchange.getResponseHeaders().set("X-Rate-Limit-Remaining", "0");
        exchange.getResponseHeaders().set("X-Rate-Limit-Reset", String.valueOf(rateLimitReset));
        error(exchange, 429, "E0000047", "API call exceeded rate limit due to too many requests.");
        return;
      }
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(exchange, 500, "E0000009", "Internal Server Error");
        return;
      }
      if (garbled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        byte[] body =
            "<html><body>Service Unavailable</body></html>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      rateHeaders(exchange.getResponseHeaders());
      route(exchange, exchange.getRequestMethod(), uri.getPath(), query(uri));
    } catch (RuntimeException e) {
      error(exchange, 500, "E0000009", "Internal Server Error: " + e);
    }
  }

  private void route(HttpExchange exchange, String method, String path, Map<String, String> query)
      throws IOException {
    if (method.equals("GET") && path.equals("/api/v1/logs")) {
      logs(exchange, query);
    } else if (method.equals("GET") && path.startsWith("/api/v1/users/")) {
      String id =
          URLDecoder.decode(path.substring("/api/v1/users/".length()), StandardCharsets.UTF_8);
      ObjectNode user = users.get(id);
      if (user == null) {
        error(exchange, 404, "E0000007", "Not found: Resource not found: " + id + " (User)");
      } else {
        json(exchange, 200, user);
      }
    } else if (method.equals("GET") && path.equals("/api/v1/apps")) {
      ArrayNode array = Fixtures.JSON.createArrayNode();
      apps.forEach(array::add);
      exchange
          .getResponseHeaders()
          .add("Link", "<" + base + "/api/v1/apps?limit=200>; rel=\"self\"");
      json(exchange, 200, array);
    } else if (path.startsWith("/api/v1/eventHooks")) {
      eventHooks(exchange, method, path);
    } else {
      error(exchange, 404, "E0000022", "The endpoint does not support the provided HTTP method");
    }
  }

  /** Polling mode: ascending, from {@code since} or from an {@code after} cursor Okta issued. */
  private void logs(HttpExchange exchange, Map<String, String> query) throws IOException {
    int from;
    String after = query.get("after");
    if (after != null) {
      Integer position = cursors.get(after);
      if (position == null) {
        error(exchange, 400, "E0000001", "Api validation failed: after");
        return;
      }
      from = position;
    } else {
      Instant since =
          Instant.parse(query.getOrDefault("since", clock.instant().minusSeconds(900).toString()));
      from = 0;
      while (from < log.size() && published(log.get(from)).isBefore(since)) {
        from++;
      }
    }
    List<String> types = new ArrayList<>();
    Matcher type = EVENT_TYPE.matcher(query.getOrDefault("filter", ""));
    while (type.find()) {
      types.add(type.group(1));
    }
    int limit = Math.min(pageSize, Integer.parseInt(query.getOrDefault("limit", "100")));
    ArrayNode page = Fixtures.JSON.createArrayNode();
    int position = from;
    if (emptyPages.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
      while (position < log.size() && page.size() < limit) {
        ObjectNode event = log.get(position++);
        if (types.isEmpty() || types.contains(event.get("eventType").asString())) {
          page.add(event);
        }
      }
    }
    String cursor = position + "_" + UUID.randomUUID().toString().substring(0, 8);
    cursors.put(cursor, position);
    String rest =
        "limit="
            + query.getOrDefault("limit", "100")
            + "&sortOrder=ASCENDING"
            + (query.containsKey("filter") ? "&filter=" + encode(query.get("filter")) : "");
    Headers headers = exchange.getResponseHeaders();
    headers.add("Link", "<" + base + "/api/v1/logs?" + rawQuery(exchange) + ">; rel=\"self\"");
    String next =
        repeatedNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0
            ? base + "/api/v1/logs?" + rawQuery(exchange)
            : base + "/api/v1/logs?after=" + cursor + "&" + rest;
    headers.add("Link", "<" + next + ">; rel=\"next\"");
    json(exchange, 200, page);
  }

  private void eventHooks(HttpExchange exchange, String method, String path) throws IOException {
    String[] parts = path.split("/");
    // /api/v1/eventHooks[/{id}[/lifecycle/verify]]
    if (parts.length == 4 && method.equals("GET")) {
      ArrayNode array = Fixtures.JSON.createArrayNode();
      hooks().forEach(array::add);
      json(exchange, 200, array);
      return;
    }
    if (parts.length == 4 && method.equals("POST")) {
      ObjectNode hook = body(exchange);
      String invalid = invalidHook(hook);
      if (invalid != null) {
        error(exchange, 400, "E0000001", "Api validation failed: " + invalid);
        return;
      }
      String id = "who" + String.format("%017d", ids.incrementAndGet());
      hook.put("id", id).put("status", "ACTIVE").put("verificationStatus", "UNVERIFIED");
      hook.put("created", clock.instant().toString())
          .put("lastUpdated", clock.instant().toString());
      hook.put("createdBy", "00uStubAdmin000001");
      hooks.put(id, hook);
      json(exchange, 200, hook);
      return;
    }
    ObjectNode hook = parts.length >= 5 ? hooks.get(parts[4]) : null;
    if (hook == null) {
      error(exchange, 404, "E0000007", "Not found: Resource not found: " + path + " (EventHook)");
      return;
    }
    if (parts.length == 5 && method.equals("PUT")) {
      ObjectNode replaced = body(exchange);
      String invalid = invalidHook(replaced);
      if (invalid != null) {
        error(exchange, 400, "E0000001", "Api validation failed: " + invalid);
        return;
      }
      replaced.put("id", parts[4]).put("status", hook.get("status").asString());
      replaced.put("verificationStatus", "UNVERIFIED");
      replaced.put("created", hook.get("created").asString());
      replaced.put("lastUpdated", clock.instant().toString());
      hooks.put(parts[4], replaced);
      json(exchange, 200, replaced);
    } else if (parts.length == 5 && method.equals("GET")) {
      json(exchange, 200, hook);
    } else if (parts.length == 7 && method.equals("POST") && parts[6].equals("verify")) {
      String failure = verify(hook);
      if (failure != null) {
        verificationFailures.add(failure);
        error(
            exchange,
            400,
            "E0000001",
            "Api validation failed: Verification",
            "Unable to verify event hook: " + failure);
        return;
      }
      hook.put("verificationStatus", "VERIFIED");
      json(exchange, 200, hook);
    } else {
      error(exchange, 405, "E0000022", "The endpoint does not support the provided HTTP method");
    }
  }

  /** Client credentials with a private key JWT, as a service app gets its access token. */
  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        query(
            URI.create(
                "?"
                    + new String(
                        exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    if (!"client_credentials".equals(form.get("grant_type"))
        || form.get("client_assertion") == null
        || form.get("client_assertion").split("\\.").length != 3) {
      ObjectNode body = Fixtures.JSON.createObjectNode();
      body.put("error", "invalid_client")
          .put("error_description", "The client_assertion is invalid.");
      json(exchange, 401, body);
      return;
    }
    String token = "eyStub" + UUID.randomUUID().toString().replace("-", "");
    accessTokens.put(token, List.of(form.getOrDefault("scope", "").split(" ")));
    ObjectNode body = Fixtures.JSON.createObjectNode();
    body.put("token_type", "Bearer").put("expires_in", 3600).put("access_token", token);
    body.put("scope", form.getOrDefault("scope", ""));
    json(exchange, 200, body);
  }

  private static String scope(String path) {
    if (path.startsWith("/api/v1/logs")) {
      return "okta.logs.read";
    } else if (path.startsWith("/api/v1/users")) {
      return "okta.users.read";
    } else if (path.startsWith("/api/v1/apps")) {
      return "okta.apps.read";
    }
    return "okta.eventHooks.manage";
  }

  private static String invalidHook(ObjectNode hook) {
    if (!hook.path("name").isString()) {
      return "name";
    }
    if (!"EVENT_TYPE".equals(hook.path("events").path("type").asString(""))
        || hook.path("events").path("items").isEmpty()) {
      return "events";
    }
    JsonNode channel = hook.path("channel");
    if (!"HTTP".equals(channel.path("type").asString(""))
        || !"1.0.0".equals(channel.path("version").asString(""))
        || !channel.path("config").path("uri").isString()) {
      return "channel";
    }
    return null;
  }

  /** Calls the hook as Okta does once: a GET with a challenge that must come back. */
  private String verify(ObjectNode hook) {
    JsonNode config = hook.path("channel").path("config");
    String challenge = UUID.randomUUID().toString().replace("-", "");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(config.path("uri").asString()))
            .header("Accept", "application/json")
            .header("User-Agent", "Okta-Integrations")
            .header("X-Okta-Verification-Challenge", challenge)
            .GET();
    JsonNode scheme = config.path("authScheme");
    if (scheme.isObject()) {
      request.header(scheme.path("key").asString(), scheme.path("value").asString());
    }
    for (JsonNode header : config.path("headers")) {
      request.header(header.path("key").asString(), header.path("value").asString());
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return "the hook answered " + response.statusCode();
      }
      JsonNode body = Fixtures.JSON.readTree(response.body());
      return challenge.equals(body.path("verification").asString(null))
          ? null
          : "the hook did not return the challenge";
    } catch (IOException e) {
      return "cannot reach " + config.path("uri").asString() + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private void rateHeaders(Headers headers) {
    Instant reset = windowReset;
    headers.set("X-Rate-Limit-Limit", "600");
    headers.set("X-Rate-Limit-Remaining", String.valueOf(remaining));
    headers.set(
        "X-Rate-Limit-Reset",
        String.valueOf(
            reset != null ? reset.getEpochSecond() : clock.instant().getEpochSecond() + 60));
  }

  private static Instant published(ObjectNode event) {
    return Instant.parse(event.get("published").asString());
  }

  private static ObjectNode body(HttpExchange exchange) throws IOException {
    return (ObjectNode) Fixtures.JSON.readTree(exchange.getRequestBody().readAllBytes());
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Fixtures.JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void error(
      HttpExchange exchange, int status, String code, String summary, String... causes)
      throws IOException {
    ObjectNode body = Fixtures.JSON.createObjectNode();
    body.put("errorCode", code);
    body.put("errorSummary", summary);
    body.put("errorLink", code);
    body.put("errorId", "oae" + UUID.randomUUID().toString().replace("-", "").substring(0, 19));
    ArrayNode array = body.putArray("errorCauses");
    for (String cause : causes) {
      array.addObject().put("errorSummary", cause);
    }
    json(exchange, status, body);
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static String rawQuery(HttpExchange exchange) {
    String raw = exchange.getRequestURI().getRawQuery();
    return raw == null ? "" : raw;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
