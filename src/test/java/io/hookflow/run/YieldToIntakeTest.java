package io.hookflow.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class YieldToIntakeTest {

  private final AtomicBoolean busy = new AtomicBoolean();
  private final YieldToIntake yield = new YieldToIntake(busy::get);
  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    busy.set(false);
    workers.shutdownNow();
  }

  @Test
  void runsGoTogetherWhileIntakeIsQuiet() {
    assertThat(yield.enter()).isFalse();
    assertThat(yield.enter()).isFalse();
  }

  @Test
  void whileIntakeIsBusyOneRunGoesAtATimeAndTheOthersGoOnWhenItCalmsDown() {
    busy.set(true);

    assertThat(yield.enter()).isTrue();
    CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(yield::enter, workers);
    CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(yield::enter, workers);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !second.isDone() && !third.isDone());

    yield.leave();
    await().until(() -> second.isDone() || third.isDone());
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !(second.isDone() && third.isDone()));

    busy.set(false);
    await().until(() -> second.isDone() && third.isDone());
    assertThat(second.join() ^ third.join()).as("exactly one held the lane").isTrue();
  }
}
