package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import io.hookflow.console.ConsoleSession;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class SystemLogPollingTest {

  static final String LOGS = "/api/v1/logs";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  final OktaStub okta = new OktaStub(Clock.systemUTC());
  TestInstance hookflow;

  @AfterEach
  void stop() {
    if (hookflow != null) {
      hookflow.close();
    }
    okta.close();
  }

  @Test
  void eventsSpreadOverSeveralPagesAreMailedOnceEach() {
    okta.pageSize(2).log(events(5));

    hookflow = start();

    await().until(() -> smtp.getReceivedMessages().length == 5);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    List<OktaStub.Request> requests = okta.requests(LOGS);
    assertThat(requests.get(0).query("filter"))
        .isEqualTo("eventType eq \"application.user_membership.remove\"");
    assertThat(requests.get(0).query("sortOrder")).isEqualTo("ASCENDING");
    assertThat(requests.get(0).query("since")).isNotNull();
    assertThat(requests.subList(1, requests.size()))
        .allSatisfy(
            r -> {
              assertThat(r.query("after")).isNotNull();
              assertThat(r.query("since")).isNull();
            });
    assertThat(hookflow.count("events")).isEqualTo(5);
    assertThat(smtp.getReceivedMessages()).hasSize(5);
  }

  @Test
  void emptyPagesThatCarryNextAreFollowedAndLaterEventsArrive() {
    okta.emptyPages(3).log(events(1));

    hookflow = start();

    await().until(() -> smtp.getReceivedMessages().length == 1);
    assertThat(okta.requests(LOGS).size()).isGreaterThanOrEqualTo(4);
    okta.log(events(2));
    await().until(() -> smtp.getReceivedMessages().length == 3);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.count("runs")).isEqualTo(3);
  }

  @Test
  void restartResumesFromTheStoredCursor() {
    okta.log(events(3));
    hookflow = start();
    await().until(() -> smtp.getReceivedMessages().length == 3);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    hookflow.close();
    hookflow = null;
    String stored = storedCursor();
    int before = okta.requests(LOGS).size();

    okta.log(events(2));
    hookflow = start();

    await().until(() -> smtp.getReceivedMessages().length == 5);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    List<OktaStub.Request> afterRestart =
        okta.requests(LOGS).subList(before, okta.requests(LOGS).size());
    assertThat(stored).contains(afterRestart.get(0).uri().getRawQuery());
    assertThat(afterRestart).allSatisfy(r -> assertThat(r.query("since")).isNull());
    assertThat(hookflow.count("events")).isEqualTo(5);
    assertThat(smtp.getReceivedMessages()).hasSize(5);
  }

  @Test
  void aChangedPageSizeAppliesToTheStoredCursor() {
    okta.pageSize(1000).log(events(3));
    hookflow = start();
    await().until(() -> smtp.getReceivedMessages().length == 3);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    hookflow.close();
    int before = okta.requests(LOGS).size();

    okta.log(events(2));
    Map<String, String> properties = properties();
    properties.put("hookflow.okta.poll.limit", "1");
    hookflow = TestInstance.start(properties);

    await().until(() -> smtp.getReceivedMessages().length == 5);
    List<OktaStub.Request> afterRestart =
        okta.requests(LOGS).subList(before, okta.requests(LOGS).size());
    assertThat(afterRestart.get(0).query("after")).isNotNull();
    assertThat(afterRestart).allSatisfy(r -> assertThat(r.query("limit")).isEqualTo("1"));
  }

  @Test
  void aLeaseLeftBehindByAProcessThatDied() {
    pollThenDieLeavingTheLease();

    okta.log(events(1));
    hookflow = start();

    // Holding the SQLite database to itself, the new process knows the holder is gone.
    await().until(() -> smtp.getReceivedMessages().length == 2);
    assertThat(hookflow.bean(PollStatus.class).details()).containsEntry("standby", false);
  }

  /**
   * Mails one polled event, then stops as a process killed while polling would: the cursor's lease
   * left behind, far from expiring.
   */
  void pollThenDieLeavingTheLease() {
    okta.log(events(1));
    hookflow = start();
    await().until(() -> smtp.getReceivedMessages().length == 1);
    hookflow
        .jdbc()
        .sql("UPDATE okta_cursor SET lease_owner = 'gone/1/0', lease_until = 9999999999999")
        .update();
    hookflow.close();
    hookflow = null;
  }

  @Test
  void newEventTypesStartWhereTheOldQueryHadGotToInABacklog() throws Exception {
    long newest = Instant.now().minus(Duration.ofHours(3)).toEpochMilli();
    long polled = Instant.now().minusSeconds(10).toEpochMilli();

    // Reading a backlog: the last poll found events, the newest of them three hours old.
    List<OktaStub.Request> behind = pollAfterAFlowChange(newest, polled, polled - 60_000);
    // Caught up: the last poll found nothing more.
    List<OktaStub.Request> caughtUp = pollAfterAFlowChange(newest, polled, polled);

    assertThat(Instant.parse(behind.get(0).query("since")))
        .isEqualTo(Instant.ofEpochMilli(newest).minusSeconds(60));
    assertThat(Instant.parse(caughtUp.get(0).query("since")))
        .isEqualTo(Instant.ofEpochMilli(polled).minusSeconds(60));
    assertThat(behind.get(0).query("filter")).contains("user.lifecycle.deactivate");
  }

  /**
   * Stores a cursor as a poller left it, adds a flow for another event type, starts, and returns
   * the requests of the new query.
   */
  private List<OktaStub.Request> pollAfterAFlowChange(long newest, long polledAt, long readToEndAt)
      throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows-" + readToEndAt));
    Map<String, String> properties = properties();
    Files.copy(
        Path.of(properties.get("hookflow.flows")).resolve("all-apps-html.yaml"),
        flows.resolve("all-apps-html.yaml"));
    properties.put("hookflow.flows", flows.toString());
    properties.put("hookflow.data", dir.resolve("data-" + readToEndAt).toString());
    properties.put("hookflow.okta.poll.enabled", "false");
    try (TestInstance before = TestInstance.start(properties)) {
      before.jdbc().sql("DELETE FROM okta_cursor").update();
      before
          .jdbc()
          .sql(
              "INSERT INTO okta_cursor (name, next_url, filter, newest_published, polled_at,"
                  + " read_to_end_at, created_at, updated_at) VALUES ('system-log',"
                  + " '/api/v1/logs?after=old', ?, ?, ?, ?, 0, 0)")
          .params(
              SystemLogQuery.filter(java.util.Set.of("application.user_membership.remove")),
              newest,
              polledAt,
              readToEndAt)
          .update();
    }
    Files.writeString(
        flows.resolve("deactivated.yaml"),
        """
        name: Deactivated
        trigger:
          event: user.lifecycle.deactivate
        steps:
          - email:
              to: ["audit@example.test"]
              subject: "Deactivated"
              body: "gone"
        """);
    int seen = okta.requests(LOGS).size();
    properties.put("hookflow.okta.poll.enabled", "true");
    try (TestInstance after = TestInstance.start(properties)) {
      await().until(() -> okta.requests(LOGS).size() > seen);
    }
    List<OktaStub.Request> requests = okta.requests(LOGS);
    return requests.subList(seen, requests.size());
  }

  @Test
  void aRateLimitThatSeemsOverAlreadyIsStillWaitedOut() {
    // Okta's clock behind ours: by our clock its reset time has passed; a tight loop of 429s would
    // follow if the wait were counted on our clock alone.
    okta.rateLimit(3, Instant.now().minusSeconds(5)).log(events(1));

    hookflow = start();

    await().atMost(Duration.ofSeconds(15)).until(() -> smtp.getReceivedMessages().length == 1);
    List<OktaStub.Request> requests = okta.requests(LOGS);
    for (int i = 1; i <= 3; i++) {
      assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
  }

  @Test
  void catchingUpLeavesTheLastTenthOfTheRateLimitToOthers() {
    okta.pageSize(2).rateLimitWindow(60, Instant.now().plusSeconds(2)).log(events(8));

    hookflow = start();

    await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length == 8);
    List<OktaStub.Request> requests = okta.requests(LOGS);
    // Past the first page (a fresh process takes its time over that), a page a second at most.
    for (int i = 2; i <= 3; i++) {
      assertThat(Duration.between(requests.get(i - 1).at(), requests.get(i).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }
  }

  @Test
  void catchingUpGoesPageAfterPageWhileTheRateLimitLeavesRoom() {
    okta.pageSize(2).rateLimitWindow(61, Instant.now().plusSeconds(30)).log(events(8));

    hookflow = start();

    await().until(() -> smtp.getReceivedMessages().length == 8);
    List<OktaStub.Request> requests = okta.requests(LOGS);
    assertThat(Duration.between(requests.get(1).at(), requests.get(3).at()))
        .isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aNextLinkThatDoesNotMoveOnIsNotFollowedAtOnce() {
    // Following it at once would ask for the same page again and again, as fast as Okta answers,
    // spending the rate limit the org's other integrations share.
    okta.pageSize(2).repeatNext(1_000_000).log(events(2));
    Map<String, String> properties = properties();
    properties.put("hookflow.okta.poll.interval", "1s");

    hookflow = TestInstance.start(properties);

    await().until(() -> smtp.getReceivedMessages().length == 2);
    int before = okta.requests(LOGS).size();
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    // Once a poll interval, not as fast as the stub answers (dozens a second).
    assertThat(okta.requests(LOGS).size() - before).isLessThanOrEqualTo(5);
    assertThat(hookflow.count("events")).isEqualTo(2);
  }

  @Test
  void rateLimitIsWaitedOutUntilTheResetTime() {
    Instant reset = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 2);
    okta.rateLimit(1, reset).log(events(2));

    hookflow = start();

    await().atMost(Duration.ofSeconds(15)).until(() -> smtp.getReceivedMessages().length == 2);
    List<OktaStub.Request> requests = okta.requests(LOGS);
    assertThat(requests.get(1).at()).isAfterOrEqualTo(reset);
  }

  @Test
  void errorsAreRetriedWithBackoffAndReported() {
    okta.fail(3).log(events(2));

    hookflow = start();

    await().until(() -> smtp.getReceivedMessages().length == 2);
    List<OktaStub.Request> requests = okta.requests(LOGS);
    // 200ms, 400ms, 800ms between the failed tries
    assertThat(Duration.between(requests.get(2).at(), requests.get(3).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(hookflow.bean(PollStatus.class).details()).containsEntry("consecutiveErrors", 0);
  }

  @Test
  void anAnswerThatIsNotJsonIsReportedAsSuchNotAsOktaOutOfReach() {
    // A proxy's error page, say: Okta (or something) was reached.
    okta.garble(1000).log(events(1));

    hookflow = start();

    await()
        .untilAsserted(
            () ->
                assertThat(hookflow.bean(PollStatus.class).details().get("lastError"))
                    .asString()
                    .startsWith("Okta")
                    .contains("answered with something that is not JSON")
                    .doesNotContain("cannot reach"));
    okta.garble(0);
    await().until(() -> smtp.getReceivedMessages().length == 1);
  }

  @Test
  void aFirstStartBeginsAtNowUnlessToldToBackfill() {
    okta.log(events(2));
    Map<String, String> properties = properties();
    properties.remove("hookflow.okta.poll.since");
    hookflow = TestInstance.start(properties);
    await().until(() -> okta.requests(LOGS).size() >= 2);

    okta.log(events(1)[0].put("published", Instant.now().plusSeconds(1).toString()));

    await().until(() -> smtp.getReceivedMessages().length == 1);
    assertThat(hookflow.count("events")).isOne();
  }

  @Test
  void anEventFromBothHookAndPollerIsMailedOnce() {
    ObjectNode[] events = events(2);
    okta.log(events);
    hookflow = start();

    HttpResponse<String> delivered = hookflow.deliver(Fixtures.delivery(events));

    assertThat(delivered.statusCode()).isEqualTo(200);
    await().until(() -> okta.requests(LOGS).size() >= 3 && storedNewest() != null);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.count("events")).isEqualTo(2);
    assertThat(hookflow.count("runs")).isEqualTo(2);
    assertThat(smtp.getReceivedMessages()).hasSize(2);
  }

  @Test
  void lagIsMeasuredAndShownInHealthDetails() {
    okta.log(events(1));
    hookflow = start();

    await().until(() -> hookflow.bean(PollStatus.class).lag().isPresent());

    Map<String, Object> details = hookflow.bean(PollStatus.class).details();
    assertThat(details).containsKeys("lagSeconds", "newestEvent", "lastPoll");
    String metrics = hookflow.send(hookflow.api("/actuator/prometheus").GET().build()).body();
    assertThat(metrics).contains("hookflow_okta_poll_lag_seconds");
    HttpResponse<String> health =
        hookflow.send(hookflow.api("/actuator/health/okta").GET().build());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"lagSeconds\"").contains("\"polling\":\"on\"");
    HttpResponse<String> anonymous =
        hookflow.send(hookflow.request("/actuator/health/okta").GET().build());
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("{\"status\":\"UP\"}");
    ConsoleSession console = new ConsoleSession(hookflow);
    console.signIn(TestInstance.PASSWORD);
    assertThat(console.get("/").body()).contains("System Log poller").contains("cursor lag ");
  }

  @Test
  void nothingOktaStartsWithoutAnOrgUrl() {
    Map<String, String> properties = properties();
    properties.remove("hookflow.okta.org-url");

    hookflow = TestInstance.start(properties);

    assertThat(hookflow.beans(OktaApi.class)).isEmpty();
    assertThat(hookflow.beans(SystemLogPoller.class)).isEmpty();
  }

  TestInstance start() {
    return TestInstance.start(properties());
  }

  /** Settings for the store under test; the embedded SQLite unless a subclass says otherwise. */
  Map<String, String> database() {
    return Map.of();
  }

  private Map<String, String> properties() {
    Map<String, String> properties = polling(dir, okta, smtp.getSmtp().getPort());
    properties.putAll(database());
    return properties;
  }

  /** An instance with its files under {@code dir} that polls the stub every 200ms, from P1D. */
  static Map<String, String> polling(Path dir, OktaStub okta, int smtpPort) {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtpPort, "all-apps-html.yaml");
    properties.put("hookflow.okta.org-url", okta.orgUrl());
    properties.put("hookflow.okta.api-token", OktaStub.TOKEN);
    properties.put("hookflow.okta.poll.enabled", "true");
    properties.put("hookflow.okta.poll.interval", "200ms");
    properties.put("hookflow.okta.poll.since", "P1D");
    return properties;
  }

  /** Unassignments published a few minutes ago, oldest first, as the System Log orders them. */
  static ObjectNode[] events(int count) {
    ObjectNode[] events = new ObjectNode[count];
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      ObjectNode event = Fixtures.unassignment("0oaTestZoom000001", "Zoom");
      event.put("published", now.minusSeconds(60L * (count - i)).toString());
      Fixtures.withUserEmail(event, "user" + i + "@example.test");
      events[i] = event;
    }
    return events;
  }

  private String storedCursor() {
    try (TestInstance reader = TestInstance.start(noPolling())) {
      return reader.jdbc().sql("SELECT next_url FROM okta_cursor").query(String.class).single();
    }
  }

  private Long storedNewest() {
    return hookflow
        .jdbc()
        .sql("SELECT newest_published FROM okta_cursor")
        .query(Long.class)
        .optional()
        .orElse(null);
  }

  private Map<String, String> noPolling() {
    Map<String, String> properties = properties();
    properties.put("hookflow.okta.poll.enabled", "false");
    properties.put("hookflow.runs.workers", "0");
    return properties;
  }
}
