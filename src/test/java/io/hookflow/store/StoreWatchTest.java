package io.hookflow.store;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import io.hookflow.console.ConsoleSession;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What no error tells about the store: a commit that does not end, a database file gone. */
@ExtendWith(OutputCaptureExtension.class)
class StoreWatchTest {

  @TempDir Path dir;
  TestInstance hookflow;

  private void start(int busyTimeoutMillis) {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("spring.datasource.url", SqliteOutageTest.url(database(), busyTimeoutMillis));
    properties.put("hookflow.store.stall-after", "300ms");
    hookflow = TestInstance.start(properties);
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
  void aCommitThatDoesNotEndMarksTheStoreDownUntilItEndsAndNothingIsLost(CapturedOutput output)
      throws Exception {
    start(60_000);
    assertThat(health()).isEqualTo(200);
    ConsoleSession console = new ConsoleSession(hookflow);
    console.signIn(TestInstance.PASSWORD);
    assertThat(console.get("/").body()).contains("<dd id=\"store\">takes writes</dd>");

    CompletableFuture<HttpResponse<String>> waiting;
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database());
        Statement sql = other.createStatement()) {
      sql.execute("BEGIN IMMEDIATE"); // held, within the busy timeout: no error to tell of it
      waiting =
          CompletableFuture.supplyAsync(() -> hookflow.deliver(delivery(salesforceUnassignment())));

      await().until(() -> health() == 503);
      assertThat(waiting).isNotDone();
      assertThat(output.getOut()).contains("The store has been committing one piece of work for");
      assertThat(console.get("/").body())
          .contains("<dd id=\"store\" class=\"state-failed\">one commit has been under way since");
      sql.execute("ROLLBACK");
    }

    assertThat(waiting.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    await().until(() -> health() == 200);
    assertThat(hookflow.count("events")).isOne();
    assertThat(output.getOut()).contains("The store's stalled commit ended after");
    assertThat(console.get("/").body()).contains("<dd id=\"store\">takes writes</dd>");
  }

  @Test
  void aDatabaseFileDeletedUnderTheServiceIsTold(CapturedOutput output) throws Exception {
    start(5_000);
    assertThat(hookflow.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(200);
    assertThat(health()).isEqualTo(200);

    Files.delete(database()); // rm -rf data, or a cleaner of old files

    await().until(() -> health() == 503);
    assertThat(output.getOut())
        .contains(
            "The database file "
                + database()
                + " was deleted or replaced while hookflow runs on it");
    // Acknowledged now, an event would be lost at the stop: refused, Okta or the poller brings it
    // again once the data folder is put right.
    HttpResponse<String> refused = hookflow.deliver(delivery(salesforceUnassignment()));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("nothing was acknowledged");
  }

  @Test
  void aDeliveryRightAfterTheFileIsDeletedIsRefusedBeforeTheWatchLooks() throws Exception {
    start(5_000); // the watch looks once a second
    assertThat(hookflow.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(200);

    Files.delete(database());
    HttpResponse<String> right = hookflow.deliver(delivery(salesforceUnassignment()));

    assertThat(right.statusCode()).isEqualTo(503);
    assertThat(right.body()).contains("nothing was acknowledged");
  }

  @Test
  void aDatabaseFileReplacedUnderTheServiceIsTold(CapturedOutput output) throws Exception {
    start(5_000);
    assertThat(health()).isEqualTo(200);

    Path aside = database().resolveSibling("hookflow.db.old");
    Files.move(database(), aside);
    Files.copy(aside, database()); // a restore from a backup, with the service still running

    await().until(() -> health() == 503);
    assertThat(output.getOut())
        .contains(
            "The database file "
                + database()
                + " was deleted or replaced while hookflow runs on it (it is not the file hookflow"
                + " opened)");
  }

  private int health() {
    return hookflow.send(hookflow.request("/actuator/health").build()).statusCode();
  }
}
