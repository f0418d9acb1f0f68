package io.hookflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** More runs than the workers hold in memory at once. */
class BacklogTest {

  @TempDir Path dir;

  @Test
  void aBacklogBeyondTheWorkersRoomIsWorkedThroughWithoutWaitingForThePollInterval() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "all-apps-html.yaml"), dir.resolve("data"));
    // One worker holds 64 runs; the rest wait in the store. Nothing is due by time here, so
    // only a worker's room freeing up may send the dispatcher back to the store.
    properties.put("hookflow.runs.workers", "1");
    properties.put("hookflow.runs.poll-interval", "1h");
    try (TestInstance hookflow = TestInstance.start(properties)) {
      for (int delivery = 0; delivery < 5; delivery++) {
        List<ObjectNode> events =
            IntStream.range(0, 50)
                .mapToObj(i -> Fixtures.unassignment("0oaBacklog" + i, "App " + i))
                .toList();
        assertThat(hookflow.deliver(Fixtures.delivery(events)).statusCode()).isEqualTo(200);
      }

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(succeeded(hookflow)).isEqualTo(250));
      assertThat(hookflow.unfinishedRuns()).isZero();
    }
  }

  private static long succeeded(TestInstance hookflow) {
    return hookflow
        .jdbc()
        .sql("SELECT COUNT(*) FROM runs WHERE state = 'succeeded'")
        .query(Long.class)
        .single();
  }
}
