package io.hookflow.console;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's page while it waits: when its next attempt comes. */
class RunPageTest {

  @TempDir Path dir;

  @Test
  void aRunWaitingForAWorkerIsDueNowAndARetryLaterSaysWhen() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("hookflow.runs.workers", "0"); // nothing takes the run: it stays waiting
    try (TestInstance hookflow = TestInstance.start(properties)) {
      assertThat(hookflow.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(200);
      String id = hookflow.jdbc().sql("SELECT id FROM runs").query(String.class).single();
      ConsoleSession console = new ConsoleSession(hookflow);
      console.signIn(TestInstance.PASSWORD);

      String due = console.get("/runs/" + id).body();
      Instant later = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      hookflow
          .jdbc()
          .sql("UPDATE runs SET state = 'retrying', next_attempt_at = ? WHERE id = ?")
          .params(later.toEpochMilli(), id)
          .update();
      String retrying = console.get("/runs/" + id).body();

      assertThat(due).contains("<dt>Next attempt</dt><dd>now</dd>");
      assertThat(retrying)
          .contains(
              "<dt>Next attempt</dt><dd>"
                  + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                      .withZone(ZoneOffset.UTC)
                      .format(later));
    }
  }
}
