package io.hookflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real hookflow, started as the jar starts it, on a random port, with its data in a folder the
 * test owns; close it and start another on the same folder to test a restart.
 */
public final class TestInstance implements AutoCloseable {

  public static final String SECRET = "test-hook-secret";
  public static final String USER = "admin";
  public static final String PASSWORD = "test-console-password";

  private final ConfigurableApplicationContext context;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  private TestInstance(ConfigurableApplicationContext context) {
    this.context = context;
    this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  /** Defaults for tests: the given folders, a known secret, fast polling and backoff. */
  public static Map<String, String> defaults(Path flows, Path data) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("hookflow.flows", flows.toString());
    properties.put("hookflow.data", data.toString());
    properties.put("hookflow.hook.secret", SECRET);
    properties.put("hookflow.console.username", USER);
    properties.put("hookflow.console.password", PASSWORD);
    properties.put("hookflow.mail.from", "hookflow@example.test");
    properties.put("hookflow.runs.poll-interval", "50ms");
    properties.put("hookflow.runs.retry.initial-backoff", "100ms");
    properties.put("hookflow.runs.retry.max-backoff", "1s");
    properties.put("logging.level.root", "WARN");
    return properties;
  }

  /**
   * {@link #defaults} for the named flow fixtures copied under {@code dir}, with the data folder
   * beside them and mail going to a local SMTP server on {@code smtpPort}.
   */
  public static Map<String, String> defaultsWithMail(Path dir, int smtpPort, String... flows) {
    return mailTo(
        defaults(Fixtures.flows(dir.resolve("flows"), flows), dir.resolve("data")), smtpPort);
  }

  /** Points the settings at a local SMTP server on this port. */
  public static Map<String, String> mailTo(Map<String, String> properties, int port) {
    properties.put("spring.mail.host", "127.0.0.1");
    properties.put("spring.mail.port", String.valueOf(port));
    return properties;
  }

  public static TestInstance start(Map<String, String> properties, Class<?>... extraSources) {
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    SpringApplicationBuilder builder = new SpringApplicationBuilder(HookflowApplication.class);
    if (extraSources.length > 0) {
      builder.sources(extraSources);
    }
    return new TestInstance(builder.run(args.toArray(String[]::new)));
  }

  public String url(String path) {
    return base + path;
  }

  /** POSTs a delivery as Okta does: JSON, with the shared secret. */
  public HttpResponse<String> deliver(String json) {
    return send(
        HttpRequest.newBuilder(URI.create(url("/hooks/okta")))
            .header("Authorization", SECRET)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(url(path)));
  }

  /** A request to the JSON API, signed with HTTP Basic as scripts sign theirs. */
  public HttpRequest.Builder api(String path) {
    String credentials = USER + ":" + PASSWORD;
    return request(path)
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** The web server the instance answers on. */
  public WebServer webServer() {
    return ((WebServerApplicationContext) context).getWebServer();
  }

  /** The beans of a type, by name; empty when the type has none. */
  public <T> java.util.Map<String, T> beans(Class<T> type) {
    return context.getBeansOfType(type);
  }

  public JdbcClient jdbc() {
    return bean(JdbcClient.class);
  }

  public long count(String table) {
    return jdbc().sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
  }

  /** Runs not yet at an end (pending, running or retrying). */
  public long unfinishedRuns() {
    return jdbc()
        .sql("SELECT COUNT(*) FROM runs WHERE state NOT IN ('succeeded', 'failed')")
        .query(Long.class)
        .single();
  }

  public String runState(String eventUuid, String flow) {
    return jdbc()
        .sql("SELECT state FROM runs WHERE event_uuid = ? AND flow = ?")
        .params(eventUuid, flow)
        .query(String.class)
        .single();
  }

  public int attempts(String eventUuid, String flow) {
    return jdbc()
        .sql("SELECT attempts FROM runs WHERE event_uuid = ? AND flow = ?")
        .params(eventUuid, flow)
        .query(Integer.class)
        .single();
  }

  @Override
  public void close() {
    context.close();
  }
}
