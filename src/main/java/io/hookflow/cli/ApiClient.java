package io.hookflow.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running hookflow's JSON API with the console's credentials (HTTP Basic). */
final class ApiClient {

  /** A refusal or failure, with the words to show. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  private final String base;
  private final String authorization;
  private final JsonMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ApiClient(String base, String user, String password, JsonMapper json) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.authorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.json = json;
  }

  JsonNode get(String path) {
    return send(request(path).GET().build());
  }

  JsonNode post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", authorization)
        .header("Accept", "application/json");
  }

  /** What went wrong, in words: Java's HTTP client often gives an exception without a message. */
  private static String why(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused (is hookflow running there, on that port?)";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within 30 s";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach " + base + ": " + why(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted");
    }
    if (response.statusCode() >= 300 && response.statusCode() < 400) {
      // A proxy sending http to https, or an address that is not the API's.
      throw new Failure(
          base
              + " answered "
              + response.statusCode()
              + " (to "
              + response.headers().firstValue("Location").orElse("nowhere")
              + "); give --url the address hookflow itself answers on");
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (JacksonException e) {
      throw new Failure(
          base + " answered " + response.statusCode() + " without JSON; is it hookflow?");
    }
    if (response.statusCode() >= 300) {
      throw new Failure(
          response.statusCode() + " " + body.path("message").asString(response.body()));
    }
    return body;
  }
}
