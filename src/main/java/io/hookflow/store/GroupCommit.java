package io.hookflow.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every write of the store goes through one thread that commits whatever has queued up in one
 * transaction: concurrent deliveries and finished runs share one commit and one sync to disk,
 * instead of paying for a sync each. A caller is answered only once its work is committed.
 *
 * <p>Work of one {@link Together kind} is done for all its callers at once: the deliveries that
 * queued up while the previous commit was on its way are stored by one batch of statements, not one
 * each (on PostgreSQL a round trip each).
 *
 * <p>If a shared transaction fails, each of its pieces of work is retried alone, so that one bad
 * piece fails only its own caller. If it failed for the store's own reasons ({@link
 * StoreFailures#ofTheStore}: a full disk, a lock held elsewhere, a server away), every caller gets
 * a {@link StoreUnavailableException} at once instead: retried alone, each would only meet the same
 * (and wait its own busy timeout for it). That is logged once, with its cause, and once more when
 * the store takes writes again; meanwhile {@link StoreStatus} (health) is down and the writer tries
 * a write of its own once a second ({@link StoreProbe}) to learn when it does.
 */
@Component
public class GroupCommit {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_BATCH = 512;
  private static final long PROBE_EVERY_MILLIS = 1_000;

  private final TransactionTemplate transactions;
  private final StoreProbe probe;
  private final Clock clock;
  private final BlockingQueue<Work<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final DistributionSummary batches;
  private volatile boolean running = true;

  /** Since when and why the store refuses writes; null while it takes them. */
  private volatile Outage outage;

  private long probedAt;

  /** When the writer began the commit under way ({@link Clock#millis}); 0 between commits. */
  private volatile long committingSince;

  /** Run after each commit, before anyone waiting for it is told: {@link StoreWatch}'s look. */
  private volatile Runnable afterEachCommit = () -> {};

  /**
   * The store refusing writes: since when, what the database said first, and how many pieces of
   * work it refused since.
   */
  record Outage(Instant since, String cause, AtomicLong refused) {}

  /**
   * Work that the writer does for every caller waiting with it in one go, inside the shared
   * transaction.
   *
   * @param <I> what one caller asks for
   * @param <R> what one caller gets
   */
  @FunctionalInterface
  public interface Together<I, R> {

    /** Does the work for each input; the result of each, in the order of the inputs. */
    List<R> apply(List<I> inputs);
  }

  /** One caller's work: {@code body}, or {@code input} to a work done {@code together}. */
  private record Work<T>(
      Supplier<T> body, Together<Object, T> together, Object input, CompletableFuture<T> done) {

    /** Does this work by itself. */
    T get() {
      return together == null ? body.get() : together.apply(List.of(input)).get(0);
    }
  }

  GroupCommit(
      TransactionTemplate transactions, StoreProbe probe, MeterRegistry meters, Clock clock) {
    this.transactions = transactions;
    this.probe = probe;
    this.clock = clock;
    this.batches =
        DistributionSummary.builder("hookflow.store.commit.batch")
            .description("Pieces of work that shared one commit")
            .register(meters);
    this.writer = new Thread(this::write, "hookflow-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Runs the work inside a committed transaction and returns its result once durable. */
  public <T> T execute(Supplier<T> work) {
    return join(submit(work));
  }

  /** As {@link #execute}, without waiting: the future completes once the work is durable. */
  public <T> CompletableFuture<T> submit(Supplier<T> work) {
    return enqueue(work, null, null);
  }

  /**
   * Asks for {@code input} to be done {@code together} with the other callers' inputs of the same
   * work that are waiting for the same commit; returns this input's result once durable.
   */
  public <I, R> R execute(Together<I, R> together, I input) {
    return join(submit(together, input));
  }

  /** As {@link #execute(Together, Object)}, without waiting. */
  public <I, R> CompletableFuture<R> submit(Together<I, R> together, I input) {
    return enqueue(null, together, input);
  }

  private static <T> T join(CompletableFuture<T> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> enqueue(
      Supplier<T> work, Together<?, T> together, Object input) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IllegalStateException("the store is shutting down"));
      return done;
    }
    queue.add(new Work<>(work, (Together<Object, T>) together, input, done));
    return done;
  }

  private void write() {
    List<Work<?>> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Work<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        probeIfRefusing();
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        batches.record(batch.size());
        committingSince = clock.millis();
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        // An Error (out of memory, say) thrown by some work: whoever still waits for this batch
        // gets it, rather than waiting for ever.
        batch.forEach(work -> work.done().completeExceptionally(e));
        log.error("The store writer failed; the affected callers got the error", e);
      } finally {
        committingSince = 0;
        batch.clear();
      }
    }
    failLeftOver();
  }

  /** Fails work queued after the writer's last look at the queue: nothing will do it now. */
  private void failLeftOver() {
    for (Work<?> work = queue.poll(); work != null; work = queue.poll()) {
      work.done().completeExceptionally(new IllegalStateException("the store is shutting down"));
    }
  }

  private void commit(List<Work<?>> batch) {
    Object[] results = new Object[batch.size()];
    try {
      inTransaction(
          () -> {
            Arrays.fill(results, null);
            boolean[] done = new boolean[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
              if (done[i]) {
                continue;
              }
              Work<?> work = batch.get(i);
              if (work.together() == null) {
                results[i] = work.get();
              } else {
                doTogether(batch, i, done, results);
              }
            }
            return null;
          });
    } catch (RuntimeException | Error e) {
      if (StoreFailures.ofTheStore(e)) {
        StoreUnavailableException refused = refusing(e, batch.size());
        batch.forEach(work -> work.done().completeExceptionally(refused));
        return;
      }
      // One work's failure (even an Error, such as running out of memory while building a large
      // statement) must not become the others': each is tried again alone.
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(e);
      } else {
        batch.forEach(this::commitAlone);
      }
      return;
    }
    afterCommit();
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results[i]);
    }
  }

  /** Sets what runs after each commit, before the callers waiting for it are told. */
  void afterEachCommit(Runnable check) {
    this.afterEachCommit = check;
  }

  private void afterCommit() {
    try {
      afterEachCommit.run();
    } catch (RuntimeException e) {
      log.debug("The check after a commit failed", e);
    }
  }

  /**
   * Runs {@code work} in a transaction and commits it; if it fails, rolls back and throws its
   * failure. (Not {@link TransactionTemplate#execute}: when the database had already rolled back by
   * itself, as SQLite does on a full disk, the rollback fails too, and the template logs that with
   * its stack trace and throws it in place of what happened.)
   */
  private <T> T inTransaction(Supplier<T> work) {
    PlatformTransactionManager manager = transactions.getTransactionManager();
    TransactionStatus status = manager.getTransaction(transactions);
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      try {
        manager.rollback(status);
      } catch (RuntimeException | Error rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    manager.commit(status);
    return result;
  }

  /** When the commit under way began ({@link Clock#millis}); 0 while the writer waits for work. */
  long committingSince() {
    return committingSince;
  }

  /** The outage the store is in now, or null while it takes writes. */
  Outage outage() {
    return outage;
  }

  /**
   * Notes that the store refused {@code pieces} of work for its own reasons, logging the first
   * refusal of an outage; the exception for their callers.
   */
  private StoreUnavailableException refusing(Throwable cause, int pieces) {
    Outage now = outage;
    if (now == null) {
      now = new Outage(clock.instant(), StoreFailures.describe(cause), new AtomicLong());
      outage = now;
      probedAt = clock.millis();
      log.error(
          "The store cannot take writes: {}. Deliveries are refused (503) and runs wait until it"
              + " can; logged again when it does",
          now.cause(),
          cause);
    }
    now.refused().addAndGet(pieces);
    return new StoreUnavailableException(now.cause(), cause);
  }

  private void takingWritesAgain() {
    Outage ended = outage;
    if (ended != null) {
      outage = null;
      log.warn(
          "The store takes writes again, after {}; {} piece(s) of work were refused meanwhile",
          Duration.between(ended.since(), clock.instant()).withNanos(0),
          ended.refused().get());
    }
  }

  /**
   * While the store refuses writes, tries a write of its own once a second; the outage ends when
   * one passes. Other work passing proves less: a claim that found nothing due commits an empty
   * transaction, which even a full disk takes, and an update in place needs no room.
   */
  private void probeIfRefusing() {
    long now = clock.millis();
    if (outage == null || now - probedAt < PROBE_EVERY_MILLIS) {
      return;
    }
    probedAt = now;
    try {
      inTransaction(
          () -> {
            probe.write(now);
            return null;
          });
      takingWritesAgain();
    } catch (RuntimeException | Error e) {
      // An Error too: the work the writer took from the queue before probing must still be done.
      log.debug("The store still refuses writes", e);
    }
  }

  /**
   * Does the work of {@code batch[first]} for it and every later work of the batch done together
   * with it, where the first of them stands in the queue; marks them done.
   */
  private static void doTogether(List<Work<?>> batch, int first, boolean[] done, Object[] results) {
    Together<Object, ?> together = batch.get(first).together();
    List<Integer> members = new ArrayList<>();
    List<Object> inputs = new ArrayList<>();
    for (int j = first; j < batch.size(); j++) {
      if (batch.get(j).together() == together) {
        members.add(j);
        inputs.add(batch.get(j).input());
      }
    }
    List<?> outputs = together.apply(inputs);
    if (outputs.size() != inputs.size()) {
      throw new IllegalStateException(
          "work done together gave " + outputs.size() + " results for " + inputs.size());
    }
    for (int k = 0; k < members.size(); k++) {
      results[members.get(k)] = outputs.get(k);
      done[members.get(k)] = true;
    }
  }

  private <T> void commitAlone(Work<T> work) {
    try {
      T result = inTransaction(work::get);
      afterCommit();
      work.done().complete(result);
    } catch (Throwable e) {
      // An Error too: the rest of the batch is still committed, each on its own.
      work.done().completeExceptionally(StoreFailures.ofTheStore(e) ? refusing(e, 1) : e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Work<T> work, Object result) {
    work.done().complete((T) result);
  }

  @PreDestroy
  void stop() throws InterruptedException {
    running = false;
    writer.join(TimeUnit.SECONDS.toMillis(30));
    if (!writer.isAlive()) {
      failLeftOver();
    }
  }
}
