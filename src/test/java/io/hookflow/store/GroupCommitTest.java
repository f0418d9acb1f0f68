package io.hookflow.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store's writer, on a real SQLite file: work shared, work done together, failures kept apart.
 */
class GroupCommitTest {

  @TempDir Path dir;
  JdbcTemplate jdbc;
  GroupCommit store;

  /** The inputs of each call of {@link #insertNotes}, in order. */
  final List<List<String>> calls = new CopyOnWriteArrayList<>();

  final GroupCommit.Together<String, Integer> notes = this::insertNotes;

  @BeforeEach
  void open() {
    DriverManagerDataSource dataSource =
        new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("test.db"));
    jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("CREATE TABLE notes (text TEXT NOT NULL CHECK (text <> 'bad'))");
    TransactionTemplate transactions =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    store =
        new GroupCommit(
            transactions,
            new StoreProbe(new Statements(dataSource, jdbc)),
            new SimpleMeterRegistry(),
            Clock.systemUTC());
  }

  @AfterEach
  void close() throws InterruptedException {
    store.stop();
  }

  /** Inserts each text; gives each its length. */
  private List<Integer> insertNotes(List<String> texts) {
    calls.add(List.copyOf(texts));
    List<Integer> lengths = new ArrayList<>();
    for (String text : texts) {
      jdbc.update("INSERT INTO notes (text) VALUES (?)", text);
      lengths.add(text.length());
    }
    return lengths;
  }

  @Test
  void inputsWaitingForOneCommitAreDoneInOneCall() {
    CountDownLatch hold = new CountDownLatch(1);
    CompletableFuture<Object> holding = holdTheWriter(hold);

    List<CompletableFuture<Integer>> lengths = new ArrayList<>();
    for (String text : List.of("a", "bb", "ccc")) {
      lengths.add(store.submit(notes, text));
    }
    hold.countDown();

    assertThat(lengths.stream().map(CompletableFuture::join)).containsExactly(1, 2, 3);
    assertThat(holding.join()).isEqualTo("held");
    assertThat(calls).containsExactly(List.of("a", "bb", "ccc"));
    assertThat(jdbc.queryForList("SELECT text FROM notes", String.class))
        .containsExactlyInAnyOrder("a", "bb", "ccc");
  }

  @Test
  void aBadInputFailsOnlyItsOwnCaller() {
    CountDownLatch hold = new CountDownLatch(1);
    holdTheWriter(hold);

    CompletableFuture<Integer> good = store.submit(notes, "good");
    CompletableFuture<Integer> bad = store.submit(notes, "bad");
    CompletableFuture<Integer> fine = store.submit(notes, "fine");
    hold.countDown();

    assertThat(good.join()).isEqualTo(4);
    assertThat(fine.join()).isEqualTo(4);
    assertThatThrownBy(bad::join).hasMessageContaining("CHECK");
    assertThat(calls)
        .containsExactly(
            List.of("good", "bad", "fine"), List.of("good"), List.of("bad"), List.of("fine"));
    assertThat(jdbc.queryForList("SELECT text FROM notes", String.class))
        .containsExactlyInAnyOrder("good", "fine");
  }

  @Test
  void anErrorInSharedWorkReachesEveryCallerAndTheWriterGoesOn() {
    CountDownLatch hold = new CountDownLatch(1);
    holdTheWriter(hold);
    GroupCommit.Together<String, Integer> failing =
        texts -> {
          if (texts.contains("oom")) {
            throw new OutOfMemoryError("simulated");
          }
          return insertNotes(texts);
        };

    CompletableFuture<Integer> good = store.submit(failing, "good");
    CompletableFuture<Integer> oom = store.submit(failing, "oom");
    CompletableFuture<Integer> alone = store.submit(notes, "alone");
    hold.countDown();

    await().atMost(10, TimeUnit.SECONDS).until(() -> good.isDone() && oom.isDone());
    assertThat(good.join()).isEqualTo(4);
    assertThatThrownBy(oom::join).hasCauseInstanceOf(OutOfMemoryError.class);
    assertThat(alone.join()).isEqualTo(5);
    assertThat(store.execute(() -> "after")).isEqualTo("after");
  }

  @Test
  void anErrorOutsideAnyTransactionStillAnswersTheBatch() {
    CompletableFuture<Object> failed =
        store.submit(
            () -> {
              throw new OutOfMemoryError("simulated");
            });

    await().atMost(10, TimeUnit.SECONDS).until(failed::isDone);
    assertThatThrownBy(failed::join).hasCauseInstanceOf(OutOfMemoryError.class);
    assertThat(store.execute(() -> "after")).isEqualTo("after");
  }

  @Test
  void aCallerIsAnsweredOnlyAfterTheCommit() {
    CountDownLatch hold = new CountDownLatch(1);
    holdTheWriter(hold);
    List<CompletableFuture<Integer>> futures = new CopyOnWriteArrayList<>();
    AtomicBoolean answeredBeforeCommit = new AtomicBoolean();
    GroupCommit.Together<String, Integer> watched =
        texts -> {
          TransactionSynchronizationManager.registerSynchronization(
              new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                  if (futures.stream().anyMatch(CompletableFuture::isDone)) {
                    answeredBeforeCommit.set(true);
                  }
                }
              });
          return insertNotes(texts);
        };

    // A shared commit that fails, so that the good input is then committed alone.
    futures.add(store.submit(watched, "good"));
    futures.add(store.submit(watched, "bad"));
    hold.countDown();

    assertThat(futures.get(0).join()).isEqualTo(4);
    await().atMost(10, TimeUnit.SECONDS).until(() -> futures.get(1).isDone());
    assertThat(answeredBeforeCommit).isFalse();
  }

  @Test
  void aStoreThatRefusesWritesFailsEveryCallerAtOnceWithoutTryingEachAlone() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    holdTheWriter(hold);
    CompletableFuture<Integer> first = store.submit(notes, "first");
    CompletableFuture<Integer> second = store.submit(notes, "second");

    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"));
        Statement sql = other.createStatement()) {
      sql.execute("BEGIN IMMEDIATE"); // another process holds the write lock
      hold.countDown();
      await().atMost(10, TimeUnit.SECONDS).until(() -> first.isDone() && second.isDone());
      assertThat(store.outage()).isNotNull();
      sql.execute("ROLLBACK");
    }

    assertThatThrownBy(first::join).hasCauseInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(second::join).hasCauseInstanceOf(StoreUnavailableException.class);
    // Alone, each would only have waited out the busy timeout again.
    assertThat(calls).containsExactly(List.of("first", "second"));
    assertThat(store.execute(notes, "after")).isEqualTo(5);
  }

  /** Gives the writer work that waits for {@code hold}, and waits until the writer is in it. */
  private CompletableFuture<Object> holdTheWriter(CountDownLatch hold) {
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<Object> holding =
        store.submit(
            () -> {
              started.countDown();
              try {
                hold.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "held";
            });
    await().atMost(10, TimeUnit.SECONDS).until(() -> started.getCount() == 0);
    return holding;
  }
}
