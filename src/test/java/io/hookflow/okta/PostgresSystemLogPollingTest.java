package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Postgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same tests with PostgreSQL as the store. */
class PostgresSystemLogPollingTest extends SystemLogPollingTest {

  private final Map<String, String> database = Postgres.newDatabaseSettings();

  @Override
  Map<String, String> database() {
    return database;
  }

  /**
   * On a shared database a lease may be another live instance's: it is waited out (here never runs
   * out), not taken over.
   */
  @Override
  @Test
  void aLeaseLeftBehindByAProcessThatDied() {
    pollThenDieLeavingTheLease();
    int polled = okta.requests(LOGS).size();

    okta.log(events(1));
    hookflow = start();

    await()
        .until(() -> Boolean.TRUE.equals(hookflow.bean(PollStatus.class).details().get("standby")));
    assertThat(okta.requests(LOGS)).hasSize(polled);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }
}
