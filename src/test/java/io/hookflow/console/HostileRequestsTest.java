package io.hookflow.console;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What anyone on the internet can send the console, the API and health, and what they get. */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsTest {

  @TempDir static Path dir;
  static TestInstance hookflow;

  @BeforeAll
  static void start() {
    hookflow =
        TestInstance.start(
            TestInstance.defaults(
                Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data")));
  }

  @AfterAll
  static void stop() {
    hookflow.close();
  }

  @Test
  void parametersThatAreNotUtf8AreTheClientsMistakeNotAnErrorInTheLog(CapturedOutput output) {
    HttpResponse<String> login = hookflow.send(hookflow.request("/login?x=%ff").GET().build());
    HttpResponse<String> health =
        hookflow.send(hookflow.request("/actuator/health?x=%ff").GET().build());
    HttpResponse<String> api = hookflow.send(hookflow.api("/api/runs?flow=%ff").GET().build());
    ConsoleSession browser = new ConsoleSession(hookflow);
    browser.signIn(TestInstance.PASSWORD);
    HttpResponse<String> page = browser.get("/runs?user=%c3%28", "text/html");

    assertThat(login.statusCode()).isEqualTo(400);
    assertThat(login.body()).contains("parameters could not be read");
    assertThat(health.statusCode()).isEqualTo(400);
    assertThat(health.body())
        .isEqualTo(
            "{\"status\":400,\"error\":\"Bad Request\",\"message\":\"the request's parameters"
                + " could not be read (they must be percent-encoded UTF-8)\"}");
    assertThat(api.statusCode()).isEqualTo(400);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("parameters could not be read");
    assertThat(output.getOut()).doesNotContain("InvalidParameterException").doesNotContain("ERROR");
  }

  @Test
  void pagesRunNoScriptAndNameNoPageOfTheirsToOtherSites() {
    HttpResponse<String> login = hookflow.send(hookflow.request("/login").GET().build());
    ConsoleSession browser = new ConsoleSession(hookflow);
    browser.signIn(TestInstance.PASSWORD);
    HttpResponse<String> runs = browser.get("/runs", "text/html");

    for (HttpResponse<String> page : List.of(login, runs)) {
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(
              policy ->
                  assertThat(policy)
                      .contains("default-src 'self'")
                      .contains("script-src 'none'")
                      .contains("object-src 'none'")
                      .contains("frame-ancestors 'none'"));
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    }
  }

  @Test
  void whatTomcatRefusesBeforeHookflowSeesItGetsTheJsonErrorBody() throws Exception {
    for (String request :
        List.of(
            "GET /hooks/okta?a=b c HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/runs HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
            "GET /api%2Fruns HTTP/1.1\r\nHost: x\r\n\r\n")) {
      String answer = exchange(request);

      assertThat(answer).as(request).startsWith("HTTP/1.1 400 ").contains("application/json");
      assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4))
          .as(request)
          .isEqualTo(
              "{\"status\":400,\"error\":\"Bad Request\",\"message\":\"the request is not"
                  + " valid HTTP, or its path is not allowed\"}");
    }
  }

  @Test
  void refusalsOutsideHookflowsHandlersHaveItsErrorBodyOrAConsolePage() {
    HttpResponse<String> trace =
        hookflow.send(
            hookflow
                .request("/api/runs")
                .method("TRACE", HttpRequest.BodyPublishers.noBody())
                .build());
    HttpResponse<String> doubleSlash = hookflow.send(hookflow.request("/api//runs").GET().build());
    HttpResponse<String> page =
        hookflow.send(hookflow.request("/api//runs").header("Accept", "text/html").GET().build());

    assertThat(trace.statusCode()).isEqualTo(405);
    assertThat(trace.body())
        .isEqualTo(
            "{\"status\":405,\"error\":\"Method Not Allowed\",\"message\":\"Method Not"
                + " Allowed\"}");
    assertThat(doubleSlash.statusCode()).isEqualTo(400);
    assertThat(doubleSlash.body())
        .isEqualTo("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"Bad Request\"}");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body())
        .contains("<title>Bad Request · hookflow</title>")
        .doesNotContain("Whitelabel");
  }

  /** One request as written, on a connection of its own; the whole answer. */
  private static String exchange(String request) throws Exception {
    URI url = URI.create(hookflow.url("/"));
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aClientThatHasNotSignedInHasNoSessionKeptForIt() {
    // Each session would be kept for 8 hours: a few thousand requests filled a 96 MB heap.
    for (String path : List.of("/runs?state=failed", "/login", "/no-such-page", "/login?x=%ff")) {
      HttpResponse<String> anonymous =
          hookflow.send(hookflow.request(path).header("Accept", "text/html").GET().build());
      assertThat(anonymous.headers().allValues("Set-Cookie"))
          .as(path)
          .noneMatch(cookie -> cookie.startsWith("HOOKFLOW_SESSION="));
    }
    ConsoleSession browser = new ConsoleSession(hookflow);
    browser.get("/runs?state=failed");
    HttpResponse<String> wrong = browser.signIn("wrong");
    assertThat(wrong.headers().allValues("Set-Cookie"))
        .noneMatch(cookie -> cookie.startsWith("HOOKFLOW_SESSION="));

    HttpResponse<String> signedIn = browser.signIn(TestInstance.PASSWORD);

    assertThat(signedIn.headers().allValues("Set-Cookie"))
        .anyMatch(cookie -> cookie.startsWith("HOOKFLOW_SESSION="));
    assertThat(signedIn.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/runs?state=failed"));
    assertThat(browser.get("/runs").statusCode()).isEqualTo(200);
    // Forms still need their token, which the pages carry.
    assertThat(browser.post("/runs/any/retry", Map.of()).statusCode()).isEqualTo(403);
    assertThat(browser.submit("/runs", "/runs/any/retry", Map.of()).statusCode()).isEqualTo(302);
  }
}
