package io.hookflow.store;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Mailbox;
import io.hookflow.TestInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded database when it cannot take writes for a while, as an operator meets it: another
 * process holding its write lock, a disk that filled up. Deliveries are refused meanwhile, and
 * taken again once it can, without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class SqliteOutageTest {

  static final String FLOW = "Salesforce unassignment notice";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  TestInstance hookflow;

  /** Starts hookflow on SQLite with a short busy timeout, so a held lock is felt quickly. */
  private TestInstance start(Map<String, String> extra) {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "salesforce.yaml");
    properties.put("spring.datasource.url", url(database(), 200));
    properties.putAll(extra);
    hookflow = TestInstance.start(properties);
    return hookflow;
  }

  /** The embedded default's URL (application.yml), with another busy timeout. */
  static String url(Path database, int busyTimeoutMillis) {
    return "jdbc:sqlite:"
        + database
        + "?journal_mode=WAL&synchronous=FULL&busy_timeout="
        + busyTimeoutMillis
        + "&transaction_mode=IMMEDIATE&foreign_keys=true&jdbc.get_generated_keys=false";
  }

  private Path database() {
    return dir.resolve("data").resolve("hookflow.db");
  }

  @AfterEach
  void stop() {
    if (hookflow != null) {
      hookflow.close();
    }
  }

  @Test
  void aWriteLockHeldElsewhereRefusesDeliveriesOnlyWhileItIsHeld() throws Exception {
    start(Map.of());
    ObjectNode refused = salesforceUnassignment();

    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database());
        Statement sql = other.createStatement()) {
      // As `sqlite3 hookflow.db` with BEGIN IMMEDIATE, kept open past the busy timeout.
      sql.execute("BEGIN IMMEDIATE");
      HttpResponse<String> whileHeld = hookflow.deliver(delivery(refused));
      assertThat(whileHeld.statusCode()).isGreaterThanOrEqualTo(500);
      assertThat(whileHeld.body()).contains("\"status\":" + whileHeld.statusCode());
      sql.execute("ROLLBACK");
    }

    ObjectNode after = salesforceUnassignment();
    assertThat(hookflow.deliver(delivery(after)).statusCode()).isEqualTo(200);
    // Okta's retry of the refused delivery.
    assertThat(hookflow.deliver(delivery(refused)).statusCode()).isEqualTo(200);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    assertThat(hookflow.count("events")).isEqualTo(2);
    assertThat(hookflow.runState(Fixtures.uuid(after), FLOW)).isEqualTo("succeeded");
    assertThat(hookflow.runState(Fixtures.uuid(refused), FLOW)).isEqualTo("succeeded");
    assertThat(Mailbox.count(smtp)).isEqualTo(2);
  }

  @Test
  void aDatabaseThatCannotGrowRefusesDeliveriesWith503UntilItCanAgain(CapturedOutput output)
      throws Exception {
    start(Map.of());
    List<ObjectNode> acknowledged = new ArrayList<>();
    acknowledged.add(salesforceUnassignment());
    assertThat(hookflow.deliver(delivery(acknowledged.get(0))).statusCode()).isEqualTo(200);

    maxPageCount(1); // no more pages than it has: the disk is full
    ObjectNode refused = null;
    HttpResponse<String> answer = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      ObjectNode event = salesforceUnassignment();
      answer = hookflow.deliver(delivery(event));
      if (answer.statusCode() == 200) {
        acknowledged.add(event);
      } else {
        refused = event;
      }
    }
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body())
        .isEqualTo(
            "{\"status\":503,\"error\":\"Service Unavailable\","
                + "\"message\":\"the store cannot take events now; nothing was acknowledged\"}");
    assertThat(hookflow.send(hookflow.request("/actuator/health").build()).statusCode())
        .isEqualTo(503);

    maxPageCount(1_073_741_823); // room again
    await()
        .until(
            () -> hookflow.send(hookflow.request("/actuator/health").build()).statusCode() == 200);
    assertThat(hookflow.deliver(delivery(refused)).statusCode()).isEqualTo(200);

    assertThat(hookflow.count("events")).isEqualTo(acknowledged.size() + 1);
    await().until(() -> hookflow.unfinishedRuns() == 0);
    for (ObjectNode event : acknowledged) {
      assertThat(hookflow.runState(Fixtures.uuid(event), FLOW)).isEqualTo("succeeded");
    }
    assertThat(Mailbox.count(smtp)).isEqualTo(acknowledged.size() + 1);
    assertThat(output.getOut().split("The store cannot take writes", -1)).hasSize(2);
    assertThat(output.getOut())
        .contains("The store takes writes again")
        .doesNotContain("delivery failed")
        .doesNotContain("marked as broken");
  }

  @Test
  void aRunThatEndsWhileTheStoreRefusesWritesIsRecordedOnceItCanAndNotRunAgain() throws Exception {
    // A lease that runs out while the store refuses writes (its renewals are refused too).
    start(Map.of("hookflow.runs.lease", "1s"));
    CountDownLatch mailArrived = new CountDownLatch(1);
    CountDownLatch answerMail = new CountDownLatch(1);
    UserManager users = smtp.getUserManager();
    MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
    users.setMessageDeliveryHandler(
        (message, address) -> {
          mailArrived.countDown();
          try {
            answerMail.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return deliver.handle(message, address);
        });
    ObjectNode event = salesforceUnassignment();
    assertThat(hookflow.deliver(delivery(event)).statusCode()).isEqualTo(200);
    assertThat(mailArrived.await(10, TimeUnit.SECONDS)).isTrue();

    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database());
        Statement sql = other.createStatement()) {
      sql.execute("BEGIN IMMEDIATE");
      answerMail.countDown(); // the message is sent; the run ends while the lock is held
      Timer sent =
          hookflow.bean(MeterRegistry.class).timer("hookflow.mail.send", "outcome", "sent");
      await().until(() -> sent.count() == 1);
      // Written after the run's end: once it is refused, so was the end.
      CompletableFuture<Object> after = hookflow.bean(GroupCommit.class).submit(() -> null);
      await().until(after::isDone);
      assertThat(after).isCompletedExceptionally();
      await()
          .until(
              () ->
                  hookflow.send(hookflow.request("/actuator/health").build()).statusCode() == 503);
      sql.execute("ROLLBACK");
    }

    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), FLOW)));
    assertThat(hookflow.attempts(Fixtures.uuid(event), FLOW)).isOne();
    assertThat(Mailbox.count(smtp)).isOne();
  }

  /**
   * Sets SQLite's {@code max_page_count} on every connection of hookflow's pool (it holds them all
   * at once to reach each); SQLite keeps it from going below the pages the database has.
   */
  private void maxPageCount(int pages) throws Exception {
    DataSource pool = hookflow.bean(DataSource.class);
    List<Connection> all = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        Connection connection = pool.getConnection();
        all.add(connection);
        try (Statement sql = connection.createStatement()) {
          sql.execute("PRAGMA max_page_count = " + pages);
        }
      }
    } finally {
      for (Connection connection : all) {
        connection.close();
      }
    }
  }
}
