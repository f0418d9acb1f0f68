package io.hookflow.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every write of the store goes through one thread that commits whatever has queued up in one
 * transaction: concurrent deliveries and finished runs share one commit and one sync to disk,
 * instead of paying for a sync each. A caller is answered only once its work is committed.
 *
 * <p>If a shared transaction fails, each of its pieces of work is retried alone, so that one bad
 * piece fails only its own caller.
 */
@Component
public class GroupCommit {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_BATCH = 512;

  private final TransactionTemplate transactions;
  private final BlockingQueue<Work<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final DistributionSummary batches;
  private volatile boolean running = true;

  private record Work<T>(Supplier<T> body, CompletableFuture<T> done) {
    void run() {
      done.complete(body.get());
    }
  }

  GroupCommit(TransactionTemplate transactions, MeterRegistry meters) {
    this.transactions = transactions;
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
    try {
      return submit(work).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** As {@link #execute}, without waiting: the future completes once the work is durable. */
  public <T> CompletableFuture<T> submit(Supplier<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IllegalStateException("the store is shutting down"));
      return done;
    }
    queue.add(new Work<>(work, done));
    return done;
  }

  private void write() {
    List<Work<?>> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Work<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        batches.record(batch.size());
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Throwable e) {
        log.error("The store writer failed; the affected callers got the error", e);
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Work<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    try {
      transactions.executeWithoutResult(
          tx -> {
            results.clear();
            for (Work<?> work : batch) {
              results.add(work.body().get());
            }
          });
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(e);
      } else {
        batch.forEach(this::commitAlone);
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      complete(batch.get(i), results.get(i));
    }
  }

  private void commitAlone(Work<?> work) {
    try {
      transactions.executeWithoutResult(tx -> work.run());
    } catch (RuntimeException e) {
      work.done().completeExceptionally(e);
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
  }
}
