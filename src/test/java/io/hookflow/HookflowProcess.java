package io.hookflow;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** hookflow in a process of its own, as a user starts it: it can be killed hard. */
public final class HookflowProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HookflowProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the service with these settings and waits until it is healthy. */
  public static HookflowProcess start(Map<String, String> properties, Path log) {
    return start(properties, log, new String[0]);
  }

  /** As {@link #start(Map, Path)}, with system properties such as {@code -Dname=value}. */
  public static HookflowProcess start(
      Map<String, String> properties, Path log, String... jvmOptions) {
    int port = freePort();
    List<String> command = command("-Xmx256m");
    command.addAll(1, List.of(jvmOptions));
    properties.forEach((key, value) -> command.add("--" + key + "=" + value));
    command.add("--server.port=" + port);
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      HookflowProcess started = new HookflowProcess(process, port);
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException("hookflow exited; see " + log);
                }
                return started.get("/actuator/health").statusCode() == 200;
              });
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java -cp <the test class path> io.hookflow.HookflowApplication}, ready for args. */
  public static List<String> command(String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HookflowApplication.class.getName());
    return command;
  }

  public long pid() {
    return process.pid();
  }

  public HttpResponse<String> deliver(String json) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/okta"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", TestInstance.SECRET)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** As {@code kill -9}: no shutdown hook, no graceful stop. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
