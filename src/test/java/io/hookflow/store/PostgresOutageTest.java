package io.hookflow.store;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hookflow.Fixtures;
import io.hookflow.Mailbox;
import io.hookflow.Postgres;
import io.hookflow.TestInstance;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.node.ObjectNode;

/**
 * A PostgreSQL server that goes away and comes back (restarted, say) while hookflow runs: a server
 * of its own, unlike {@link Postgres}'s shared one, so that it can be stopped.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresOutageTest {

  static final String FLOW = "Salesforce unassignment notice";

  @RegisterExtension
  static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  EmbeddedPostgres server;
  int port = freePort();

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  /** Starts the server on its port and data folder, the same each time. */
  private void startServer() throws IOException {
    server =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(dir.resolve("postgres"))
            .setCleanDataDirectory(false)
            .start();
  }

  private String url() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  /** An instance on the server at {@code url}, mailing to the test's SMTP server. */
  private Map<String, String> settings(String url) {
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.getSmtp().getPort(), "salesforce.yaml");
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", Postgres.user());
    return properties;
  }

  private void stopServer() throws IOException {
    server.close();
    server = null;
  }

  @Test
  void deliveriesWhileTheServerIsAwayGet503AndIntakeGoesOnWhenItIsBack(CapturedOutput output)
      throws Exception {
    startServer();
    Map<String, String> properties = settings(url());
    // Waiting for a connection is what takes a delivery's time while the server is away.
    properties.put("spring.datasource.hikari.connection-timeout", "1000");
    try (TestInstance hookflow = TestInstance.start(properties)) {
      ObjectNode before = salesforceUnassignment();
      assertThat(hookflow.deliver(delivery(before)).statusCode()).isEqualTo(200);
      await().until(() -> Mailbox.count(smtp) == 1);

      stopServer();
      ObjectNode refused = salesforceUnassignment();
      HttpResponse<String> whileAway = hookflow.deliver(delivery(refused));
      assertThat(whileAway.statusCode()).isEqualTo(503);
      assertThat(whileAway.body())
          .isEqualTo(
              "{\"status\":503,\"error\":\"Service Unavailable\","
                  + "\"message\":\"the store cannot take events now; nothing was acknowledged\"}");
      assertThat(hookflow.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(503);
      assertThat(health(hookflow)).isEqualTo(503);

      startServer();
      await().until(() -> health(hookflow) == 200);
      ObjectNode after = salesforceUnassignment();
      assertThat(hookflow.deliver(delivery(after)).statusCode()).isEqualTo(200);
      assertThat(hookflow.deliver(delivery(refused)).statusCode()).isEqualTo(200);

      await().until(() -> hookflow.unfinishedRuns() == 0);
      assertThat(hookflow.runState(Fixtures.uuid(after), FLOW)).isEqualTo("succeeded");
      assertThat(hookflow.runState(Fixtures.uuid(refused), FLOW)).isEqualTo("succeeded");
      assertThat(Mailbox.count(smtp)).isEqualTo(3);
    }
    assertThat(output.getOut().split("The store cannot take writes", -1)).hasSize(2);
    assertThat(output.getOut())
        .contains("The store takes writes again")
        .doesNotContain("delivery failed")
        .doesNotContain("Could not claim due runs");
  }

  @Test
  void aStatementThatTimesOutOnALockHeldElsewhereGets503AndIntakeGoesOnOnceItIsFreed()
      throws Exception {
    startServer();
    String url = url();
    // As an operator sets it: statements give up after half a second.
    Map<String, String> properties = settings(url + "?options=-c%20statement_timeout=500");
    try (TestInstance hookflow = TestInstance.start(properties);
        Connection admin = DriverManager.getConnection(url, Postgres.user(), "");
        Statement sql = admin.createStatement()) {
      admin.setAutoCommit(false);
      sql.execute("LOCK TABLE events IN EXCLUSIVE MODE"); // a long migration, say
      ObjectNode refused = salesforceUnassignment();
      assertThat(hookflow.deliver(delivery(refused)).statusCode()).isEqualTo(503);
      admin.rollback();

      await().until(() -> health(hookflow) == 200);
      assertThat(hookflow.deliver(delivery(refused)).statusCode()).isEqualTo(200);
      await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(refused), FLOW)));
      assertThat(Mailbox.count(smtp)).isOne();
    }
  }

  @Test
  void aLockHeldElsewhereWithoutAStatementTimeoutMarksTheStoreDownUntilItIsFreed(
      CapturedOutput output) throws Exception {
    startServer();
    String url = url();
    Map<String, String> properties = settings(url); // as shipped: no statement timeout
    properties.put("hookflow.store.stall-after", "300ms");
    try (TestInstance hookflow = TestInstance.start(properties);
        Connection admin = DriverManager.getConnection(url, Postgres.user(), "");
        Statement sql = admin.createStatement()) {
      admin.setAutoCommit(false);
      sql.execute("LOCK TABLE events IN EXCLUSIVE MODE"); // a long migration, say
      ObjectNode waiting = salesforceUnassignment();
      CompletableFuture<HttpResponse<String>> answer =
          CompletableFuture.supplyAsync(() -> hookflow.deliver(delivery(waiting)));

      await().until(() -> health(hookflow) == 503);
      assertThat(answer).isNotDone();
      assertThat(output.getOut()).contains("The store has been committing one piece of work");
      admin.rollback();

      assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      await().until(() -> health(hookflow) == 200);
      await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(waiting), FLOW)));
      assertThat(Mailbox.count(smtp)).isOne();
    }
  }

  private static int health(TestInstance hookflow) {
    return hookflow.send(hookflow.request("/actuator/health").build()).statusCode();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
