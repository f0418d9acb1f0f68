package io.hookflow.hook;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Bad input gets a clear JSON error, and nothing of it is stored. */
class BadDeliveryTest {

  @TempDir static Path dir;
  static TestInstance hookflow;

  @BeforeAll
  static void start() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("hookflow.hook.max-body", "64KB");
    properties.put("hookflow.hook.max-events", "3");
    properties.put("hookflow.runs.workers", "0");
    hookflow = TestInstance.start(properties);
  }

  @AfterAll
  static void stop() {
    hookflow.close();
  }

  @AfterEach
  void nothingWasStored() {
    assertThat(hookflow.count("events")).isZero();
    assertThat(hookflow.count("runs")).isZero();
  }

  @Test
  void malformedJsonIs400() {
    HttpResponse<String> truncated = post("{\"data\": {\"events\": [", "application/json");
    HttpResponse<String> badToken = post("{\"data\":\n {\"events\": [nope]}}", "application/json");

    assertError(truncated, 400, "malformed JSON: Unexpected end-of-input");
    assertError(badToken, 400, "malformed JSON: Unrecognized token 'nope'");
    HttpResponse<String> unclosed = post("{\n \"data\": {\n  \"events\": [ }", "application/json");
    assertError(badToken, 400, "(line 2, column");
    assertError(unclosed, 400, "malformed JSON: Unexpected close marker '}'");
    assertError(unclosed, 400, "(line 3, column");
    for (HttpResponse<String> response : List.of(truncated, badToken, unclosed)) {
      assertThat(response.body()).doesNotContain("Source:").doesNotContain("#UNKNOWN");
    }
  }

  @Test
  void bodyShorterThanItsContentLengthIs400WithItsOwnMessage() throws Exception {
    URI url = URI.create(hookflow.url("/hooks/okta"));
    String head =
        "POST /hooks/okta HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            + TestInstance.SECRET
            + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    String answer;
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((head + "{\"data\":{").getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput(); // the client stops sending 9 bytes into 100
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json");
    assertThat(answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1))
        .isEqualTo(
            "{\"status\":400,\"error\":\"Bad Request\","
                + "\"message\":\"the body could not be read to its end\"}");
  }

  @Test
  void emptyBodyIs400() {
    assertError(post("", "application/json"), 400, "empty");
  }

  @Test
  void bodyWithoutEventsIs400() {
    assertError(post("{\"data\": {}}", "application/json"), 400, "data.events");
    assertError(post("[1, 2]", "application/json"), 400, "data.events");
    assertError(post("{\"data\": {\"events\": {}}}", "application/json"), 400, "data.events");
  }

  @Test
  void oneBadEventRejectsTheWholeDeliveryAndStoresNoneOfIt() {
    var good = salesforceUnassignment();
    var noUuid = salesforceUnassignment();
    noUuid.remove("uuid");

    assertError(post(delivery(good, noUuid), "application/json"), 400, "data.events[1].uuid");
  }

  @Test
  void eventWithoutTypeIs400() {
    var event = salesforceUnassignment();
    event.put("eventType", "");

    assertError(post(delivery(event), "application/json"), 400, "data.events[0].eventType");
  }

  @Test
  void nonJsonContentTypeIs415() {
    assertError(post(delivery(salesforceUnassignment()), "text/plain"), 415, "application/json");
    assertError(
        post(delivery(salesforceUnassignment()), "application/x-www-form-urlencoded"),
        415,
        "application/json");
    assertError(post(delivery(salesforceUnassignment()), "json"), 415, "application/json");
    assertError(
        post(delivery(salesforceUnassignment()), "application/json; charset=bogus"),
        415,
        "application/json");
  }

  @Test
  void jsonWithCharsetIsAccepted() {
    HttpResponse<String> response =
        post(delivery(salesforceUnassignment()), "application/json; charset=utf-8");

    assertThat(response.statusCode()).isEqualTo(200);
    hookflow.jdbc().sql("DELETE FROM runs").update();
    hookflow.jdbc().sql("DELETE FROM events").update();
  }

  @Test
  void bodyOverTheLimitIs413() {
    String big = "{\"data\":{\"events\":[]},\"padding\":\"" + "x".repeat(70 * 1024) + "\"}";

    assertError(post(big, "application/json"), 413, "larger than");
    assertError(post(big, "application/json"), 413, "(hookflow.hook.max-body)");
  }

  @Test
  void moreEventsThanADeliveryMayHoldIs413AndStoresNoneOfThem() {
    String four =
        delivery(
            salesforceUnassignment(),
            salesforceUnassignment(),
            salesforceUnassignment(),
            salesforceUnassignment());

    assertError(post(four, "application/json"), 413, "at most 3 events");
  }

  @Test
  void noRoomForAnEventIsRefusedAtStart() {
    Map<String, String> properties =
        TestInstance.defaults(dir.resolve("flows"), dir.resolve("refused"));
    properties.put("hookflow.hook.max-events", "0");

    assertThatThrownBy(() -> TestInstance.start(properties))
        .rootCause()
        .hasMessageContaining("hookflow.hook.max-events is 0");
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    byte[] big = ("{\"padding\":\"" + "x".repeat(70 * 1024) + "\"}").getBytes();

    assertError(postChunked(big), 413, "larger than");
  }

  @Test
  void chunkedDeliveryWithinTheLimitIsAccepted() {
    byte[] body = delivery(salesforceUnassignment()).getBytes(StandardCharsets.UTF_8);

    assertThat(postChunked(body).statusCode()).isEqualTo(200);
    assertThat(hookflow.count("events")).isEqualTo(1);
    hookflow.jdbc().sql("DELETE FROM runs").update();
    hookflow.jdbc().sql("DELETE FROM events").update();
  }

  @Test
  void bodyShorterThanItsContentLengthIs400() throws Exception {
    byte[] body = delivery(salesforceUnassignment()).getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /hooks/okta HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
            + TestInstance.SECRET
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + (body.length + 10)
            + "\r\nConnection: close\r\n\r\n";
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", java.net.URI.create(hookflow.url("/")).getPort())) {
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.shutdownOutput();
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      // Tomcat marks the exchange failed when the body ends early, so Spring Boot's error page
      // answers it (400, JSON) rather than the filter's message; nothing is stored either way.
      assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json");
    }
  }

  @Test
  void moreAfterTheObjectIs400() {
    assertError(post(delivery(salesforceUnassignment()) + " {}", "application/json"), 400, "more");
  }

  @Test
  void otherMethodsAre405() {
    HttpResponse<String> response =
        hookflow.send(
            hookflow
                .request("/hooks/okta")
                .header("Authorization", TestInstance.SECRET)
                .PUT(HttpRequest.BodyPublishers.ofString(delivery(salesforceUnassignment())))
                .build());

    assertError(response, 405, "POST");
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST, OPTIONS");
  }

  @Test
  void bodyCutShortIs400() throws Exception {
    java.net.URI uri = java.net.URI.create(hookflow.url("/hooks/okta"));
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /hooks/okta HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
              + TestInstance.SECRET
              + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
      socket.getOutputStream().write((head + "{\"data\":").getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();

      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      // Tomcat marks the request as failed once its body broke off, and answers through the
      // error page: still a 400 with a JSON body, and nothing stored (checked after each test).
      assertThat(response).startsWith("HTTP/1.1 400");
      assertThat(response).contains("Content-Type: application/json").contains("\"status\":400");
    }
  }

  @Test
  void verificationWithoutChallengeIs400() {
    HttpResponse<String> response =
        hookflow.send(
            hookflow
                .request("/hooks/okta")
                .header("Authorization", TestInstance.SECRET)
                .GET()
                .build());

    assertError(response, 400, "X-Okta-Verification-Challenge");
  }

  private static HttpResponse<String> post(String body, String contentType) {
    return hookflow.send(
        hookflow
            .request("/hooks/okta")
            .header("Authorization", TestInstance.SECRET)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Without a Content-Length: the body goes out chunked. */
  private static HttpResponse<String> postChunked(byte[] body) {
    return hookflow.send(
        hookflow
            .request("/hooks/okta")
            .header("Authorization", TestInstance.SECRET)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(body)))
            .build());
  }

  private static void assertError(HttpResponse<String> response, int status, String words) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode body = Fixtures.JSON.readTree(response.body());
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("message").asString()).contains(words);
  }
}
