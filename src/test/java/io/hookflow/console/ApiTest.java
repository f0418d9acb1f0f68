package io.hookflow.console;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.unassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.MailServer;
import io.hookflow.TestInstance;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ApiTest {

  static final String SALESFORCE = "Salesforce unassignment notice";

  @TempDir Path dir;
  MailServer smtp;
  TestInstance hookflow;

  @BeforeEach
  void start() {
    smtp = new MailServer();
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.port(), "salesforce.yaml", "chosen-apps.yaml");
    properties.put("hookflow.runs.retry.max-attempts", "1");
    properties.putAll(database());
    hookflow = TestInstance.start(properties);
  }

  /** Settings for the store under test; the embedded SQLite unless a subclass says otherwise. */
  Map<String, String> database() {
    return Map.of();
  }

  @AfterEach
  void stop() {
    hookflow.close();
    smtp.close();
  }

  @Test
  void apiRefusesRequestsWithoutTheConsoleCredentials() {
    HttpResponse<String> anonymous = hookflow.send(hookflow.request("/api/runs").GET().build());
    HttpResponse<String> wrong =
        hookflow.send(
            hookflow
                .request("/api/runs")
                .header("Authorization", "Basic YWRtaW46d3Jvbmc=")
                .GET()
                .build());
    HttpResponse<String> retry =
        hookflow.send(
            hookflow
                .request("/api/runs/x/retry")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("\"status\":401");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"hookflow\"");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(retry.statusCode()).isEqualTo(401);
  }

  @Test
  void aBrowserCannotBeMadeToChangeSomethingFromAnotherSite() {
    List<HttpResponse<String>> crossSite =
        List.of(
            hookflow.send(retry().header("Sec-Fetch-Site", "cross-site").build()),
            hookflow.send(retry().header("Sec-Fetch-Site", "same-site").build()),
            hookflow.send(retry().header("Origin", "https://attacker.example").build()),
            hookflow.send(retry().header("Origin", "null").build()));
    List<HttpResponse<String>> sameSite =
        List.of(
            hookflow.send(retry().build()),
            hookflow.send(retry().header("Sec-Fetch-Site", "same-origin").build()),
            hookflow.send(retry().header("Origin", hookflow.url("")).build()));

    assertThat(crossSite)
        .allSatisfy(
            response -> {
              assertThat(response.statusCode()).isEqualTo(403);
              assertThat(response.body()).contains("another site");
            });
    assertThat(sameSite).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(404));
    assertThat(
            hookflow
                .send(
                    hookflow.api("/api/runs").header("Sec-Fetch-Site", "cross-site").GET().build())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void usersAreFoundWhateverTheCaseOfLettersBeyondAscii() {
    smtp.start();
    ObjectNode emilie =
        Fixtures.withUserName(unassignment("0oaTestWorkday001", "Workday"), "Émilie Ørsted");
    hookflow.deliver(delivery(emilie));
    await().until(() -> hookflow.count("runs") == 1 && hookflow.unfinishedRuns() == 0);

    for (String text : List.of("émilie", "ÉMILIE", "ørsted", "Ørsted", "MILIE ø")) {
      assertThat(
              get("/api/runs?user=" + URLEncoder.encode(text, StandardCharsets.UTF_8))
                  .path("total")
                  .asLong())
          .as(text)
          .isOne();
    }
    assertThat(get("/api/runs?user=emilie%20").path("total").asLong()).isZero();
  }

  @Test
  void aFilterWithAControlCharacterIsRefused() {
    HttpResponse<String> nul = hookflow.send(hookflow.api("/api/runs?user=a%00b").GET().build());
    HttpResponse<String> tab = hookflow.send(hookflow.api("/api/runs?flow=%09").GET().build());

    assertThat(nul.statusCode()).isEqualTo(400);
    assertThat(nul.body()).contains("user must not contain control characters");
    assertThat(tab.statusCode()).isEqualTo(400);
  }

  private HttpRequest.Builder retry() {
    return hookflow.api("/api/runs/r-unknown/retry").POST(HttpRequest.BodyPublishers.noBody());
  }

  @Test
  void healthIsOpenAndMetricsAreNot() {
    assertThat(hookflow.send(hookflow.request("/actuator/health").GET().build()).statusCode())
        .isEqualTo(200);
    assertThat(hookflow.send(hookflow.request("/actuator/prometheus").GET().build()).statusCode())
        .isEqualTo(401);
    assertThat(hookflow.send(hookflow.api("/actuator/prometheus").GET().build()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void failedRunIsFoundExplainedAndRetriedUntilItSucceeds() {
    ObjectNode event = salesforceUnassignment();
    hookflow.deliver(delivery(event));
    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), SALESFORCE)));

    JsonNode failed = get("/api/runs?state=failed&flow=" + SALESFORCE.replace(" ", "%20"));
    assertThat(failed.path("total").asLong()).isEqualTo(1);
    JsonNode run = failed.path("runs").path(0);
    String id = run.path("id").asString();
    assertThat(run.path("eventUuid").asString()).isEqualTo(Fixtures.uuid(event));
    assertThat(run.path("attempts").asInt()).isEqualTo(1);
    assertThat(run.path("lastError").asString()).contains("cannot connect");
    JsonNode email = run.path("steps").path(2);
    assertThat(email.path("kind").asString()).isEqualTo("email");
    assertThat(email.path("status").asString()).isEqualTo("failed");
    assertThat(email.path("error").asString()).contains("cannot connect");
    assertThat(email.path("input").path("subject").asString())
        .isEqualTo("Morgan Blake unassigned from Salesforce.com");

    smtp.start();
    HttpResponse<String> retried =
        hookflow.send(
            hookflow
                .api("/api/runs/" + id + "/retry")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());

    assertThat(retried.statusCode()).isEqualTo(202);
    await().until(() -> get("/api/runs/" + id).path("state").asString().equals("succeeded"));
    JsonNode detail = get("/api/runs/" + id);
    assertThat(detail.path("attempts").asInt()).isEqualTo(2);
    assertThat(detail.path("steps").size()).isEqualTo(6);
    assertThat(detail.path("event").path("uuid").asString()).isEqualTo(Fixtures.uuid(event));
    assertThat(smtp.greenMail().getReceivedMessages()).hasSize(2);
    HttpResponse<String> again =
        hookflow.send(
            hookflow
                .api("/api/runs/" + id + "/retry")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(again.statusCode()).isEqualTo(409);
  }

  @Test
  void runsAreFilteredByUserApplicationAndTime() {
    smtp.start();
    ObjectNode morgan = salesforceUnassignment();
    ObjectNode sam = Fixtures.withUserName(unassignment("0oaTestWorkday001", "Workday"), "Sam Doe");
    Fixtures.withUserEmail(sam, "sam.doe@example.test");
    hookflow.deliver(delivery(morgan, sam));
    await().until(() -> hookflow.count("runs") == 2 && hookflow.unfinishedRuns() == 0);

    assertThat(get("/api/runs").path("total").asLong()).isEqualTo(2);
    assertThat(get("/api/runs?user=MORGAN").path("runs").path(0).path("flow").asString())
        .isEqualTo(SALESFORCE);
    assertThat(get("/api/runs?user=sam.doe").path("total").asLong()).isEqualTo(1);
    assertThat(get("/api/runs?user=sam_doe").path("total").asLong()).isZero();
    assertThat(get("/api/runs?user=sam%25doe").path("total").asLong()).isZero();
    assertThat(get("/api/runs?user=s*e").path("total").asLong()).isZero();
    assertThat(get("/api/runs?user=.doe%40").path("total").asLong()).isEqualTo(1);
    assertThat(get("/api/runs?application=workday").path("total").asLong()).isEqualTo(1);
    assertThat(get("/api/runs?application=0oaTestSalesforce").path("total").asLong()).isEqualTo(1);
    assertThat(get("/api/runs?application=zoom").path("total").asLong()).isZero();
    assertThat(get("/api/runs?from=2000-01-01&to=2999-01-01").path("total").asLong()).isEqualTo(2);
    assertThat(get("/api/runs?to=2000-01-01").path("total").asLong()).isZero();
    assertThat(get("/api/runs?size=1&page=2").path("runs").size()).isEqualTo(1);
    assertThat(hookflow.send(hookflow.api("/api/runs?state=lost").GET().build()).statusCode())
        .isEqualTo(400);
    for (String beyond : List.of("from=%2B300000000-01-01", "to=%2B999999999-12-31")) {
      HttpResponse<String> refused =
          hookflow.send(hookflow.api("/api/runs?" + beyond).GET().build());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("must be a date");
    }
  }

  @Test
  void eventsSayWhichFlowsTheyStartedOrWhyNone() {
    smtp.start();
    ObjectNode zoom = unassignment("0oaTestZoom000001", "Zoom");
    ObjectNode salesforce = salesforceUnassignment();
    hookflow.deliver(delivery(zoom, salesforce));

    JsonNode events = get("/api/events").path("events");

    assertThat(events.size()).isEqualTo(2);
    JsonNode zoomListed = get("/api/events/" + Fixtures.uuid(zoom));
    assertThat(zoomListed.path("runs").size()).isZero();
    assertThat(zoomListed.path("whyNoFlow").toString())
        .contains("application Zoom (0oaTestZoom000001) is not in [Salesforce.com]")
        .contains("'Chosen apps notice'");
    assertThat(zoomListed.path("application").asString()).isEqualTo("Zoom");
    JsonNode salesforceListed = get("/api/events/" + Fixtures.uuid(salesforce));
    assertThat(salesforceListed.path("runs").path(0).path("flow").asString()).isEqualTo(SALESFORCE);
  }

  @Test
  void tryingAFlowRendersItsEmailsWithoutSendingThem() {
    ObjectNode event = Fixtures.withUserName(salesforceUnassignment(), "Kim Tester");

    HttpResponse<String> response =
        hookflow.send(
            hookflow
                .api("/api/flows/" + SALESFORCE.replace(" ", "%20") + "/try")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Fixtures.JSON.writeValueAsString(event)))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode tried = Fixtures.JSON.readTree(response.body());
    assertThat(tried.path("matches").asBoolean()).isTrue();
    assertThat(tried.path("emails").path(0).path("subject").asString())
        .isEqualTo("Kim Tester unassigned from Salesforce.com");
    assertThat(tried.path("emails").path(0).path("to").path(0).asString())
        .isEqualTo("audit@example.test");
    assertThat(tried.path("steps").path(2).path("status").asString()).isEqualTo("rendered");
    assertThat(hookflow.count("events")).isZero();

    HttpResponse<String> other =
        hookflow.send(
            hookflow
                .api("/api/flows/" + SALESFORCE.replace(" ", "%20") + "/try")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Fixtures.delivery(unassignment("0oaTestZoom000001", "Zoom"))))
                .build());
    JsonNode otherTried = Fixtures.JSON.readTree(other.body());
    assertThat(otherTried.path("matches").asBoolean()).isFalse();
    assertThat(otherTried.path("whyNot").asString()).contains("Zoom");
    assertThat(
            hookflow
                .send(
                    hookflow
                        .api("/api/flows/nope/try")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build())
                .statusCode())
        .isEqualTo(404);
  }

  private JsonNode get(String path) {
    HttpResponse<String> response = hookflow.send(hookflow.api(path).GET().build());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return Fixtures.JSON.readTree(response.body());
  }
}
