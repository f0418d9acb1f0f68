package io.hookflow.run;

import io.hookflow.HookflowProperties;
import io.hookflow.event.IntakeLoad;
import io.hookflow.mail.Mailer;
import io.hookflow.store.GroupCommit;
import io.hookflow.store.StoreFailures;
import io.hookflow.store.StoreLock;
import io.hookflow.store.StoreUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Executes runs on a pool of worker threads. Runs come from intake, which hands over in memory what
 * the pool has room for, and from a dispatcher that claims due runs from the store: those intake
 * could not hand over, retries that fell due, and runs whose worker died (lease expired).
 *
 * <p>At most {@code capacity} runs are held in memory at once, so that each is finished well within
 * its lease. If {@code hookflow.runs.yield-at} is set, runs start one at a time while intake is
 * busy with a burst of deliveries ({@link YieldToIntake}).
 */
@Component
public class RunWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RunWorkers.class);
  private static final int RUNS_PER_WORKER = 64;
  private static final long COUNTS_KEPT_MILLIS = 1_000;

  private final RunStore store;
  private final RunExecutor executor;
  private final GroupCommit writes;
  private final Clock clock;
  private final HookflowProperties.Runs settings;
  private final MeterRegistry meters;
  private final YieldToIntake yieldToIntake;
  private final StoreLock lock;
  private final Mailer mailer;
  private final String owner = UUID.randomUUID().toString();
  private final int capacity;
  private final AtomicInteger held = new AtomicInteger();

  /** Workers running an attempt. */
  private final AtomicInteger busy = new AtomicInteger();

  /**
   * The runs this instance holds in memory, started, waiting for a worker, or ended with their end
   * not yet recorded: the ones whose lease it renews. A run it let go of (its end could not be
   * recorded for a reason of its own) is not renewed, so its lease runs out and it is taken up
   * again.
   */
  private final Set<String> holding = ConcurrentHashMap.newKeySet();

  /**
   * Attempts that ended while the store refused writes: held (their leases renewed once it takes
   * writes again, and not taken up as expired by this instance) and recorded again by the
   * dispatcher until they are. Let go of, the run would be run again after its lease, sending its
   * mail again.
   */
  private final Queue<RunStore.Finished> unrecorded = new ConcurrentLinkedQueue<>();

  /** Per worker thread: the ends it submitted, oldest first, until they are done. */
  private final ThreadLocal<Deque<CompletableFuture<?>>> unrecordedEnds =
      ThreadLocal.withInitial(ArrayDeque::new);

  private final GroupCommit.Together<RunStore.Finished, Boolean> finishing = this::finish;
  private final Object signal = new Object();
  private ThreadPoolExecutor pool;
  private Thread dispatcher;
  private long signals;

  /**
   * When the dispatcher last looked for runs whose lease expired: at most once a poll interval,
   * however often it claims.
   */
  private long expiredLookedAt = Long.MIN_VALUE / 2;

  private volatile boolean running;
  private volatile Counted counted;
  private final Map<RunState, Counter> finishedRuns = new EnumMap<>(RunState.class);

  private record Counted(long at, Map<RunState, Long> byState) {}

  RunWorkers(
      RunStore store,
      RunExecutor executor,
      GroupCommit writes,
      Clock clock,
      HookflowProperties properties,
      MeterRegistry meters,
      IntakeLoad intake,
      StoreLock lock,
      Mailer mailer) {
    this.store = store;
    this.executor = executor;
    this.writes = writes;
    this.clock = clock;
    this.settings = properties.runs();
    this.meters = meters;
    this.yieldToIntake = new YieldToIntake(intake::busy);
    this.lock = lock;
    this.mailer = mailer;
    this.capacity = settings.workers() * RUNS_PER_WORKER;
    for (RunState state : List.of(RunState.SUCCEEDED, RunState.RETRYING, RunState.FAILED)) {
      // The states an attempt ends in; looked up once rather than by name and tag for each run.
      finishedRuns.put(state, meters.counter("hookflow.runs.finished", "state", state.code()));
    }
    for (RunState state : RunState.values()) {
      Gauge.builder("hookflow.runs", this, workers -> workers.stored(state))
          .tag("state", state.code())
          .description("Runs stored, by state")
          .register(meters);
    }
  }

  /**
   * How many runs are stored in a state, counted at most once a second: a scrape reads the gauge of
   * every state, and each count walks that state's rows.
   */
  private long stored(RunState state) {
    Counted last = counted;
    long now = clock.millis();
    if (last == null || now - last.at() >= COUNTS_KEPT_MILLIS || now < last.at()) {
      last = new Counted(now, store.countByState());
      counted = last;
    }
    return last.byState().get(state);
  }

  /** The lease owner of runs this instance holds. */
  public String owner() {
    return owner;
  }

  public Duration lease() {
    return settings.lease();
  }

  /** Reserves room for up to {@code wanted} runs; returns how many were granted. */
  public int reserve(int wanted) {
    if (!running) {
      return 0;
    }
    while (true) {
      int now = held.get();
      int granted = Math.min(wanted, capacity - now);
      if (granted <= 0) {
        return 0;
      }
      if (held.compareAndSet(now, now + granted)) {
        return granted;
      }
    }
  }

  /** Gives back room reserved and not used. */
  public void release(int unused) {
    if (unused > 0) {
      int after = held.addAndGet(-unused);
      if (after <= capacity / 2 && after + unused > capacity / 2) {
        // Half the room is free again: the dispatcher may be waiting for it with runs due.
        wake();
      }
    }
  }

  /** Starts runs already claimed for this instance; their room was reserved. */
  public void start(List<Claim> claims) {
    for (Claim claim : claims) {
      holding.add(claim.runId());
      try {
        pool.execute(new Task(claim));
      } catch (RejectedExecutionException e) {
        // Stopping: the run stays claimed in the store and is taken up again after a restart
        // (or, on a shared store, by another instance once its lease expires).
        holding.remove(claim.runId());
        release(1);
      }
    }
  }

  /** Tells the dispatcher that runs may be due now. */
  public void wake() {
    synchronized (signal) {
      signals++;
      signal.notifyAll();
    }
  }

  @Override
  public void start() {
    // Only a service holding the database to itself knows that runs marked running were left by
    // a process that is gone; a command sharing the database with a running service runs no
    // workers and must not take runs from it (StoreLock).
    if (lock.exclusive()) {
      int released = store.releaseAll(clock.millis());
      if (released > 0) {
        log.info("Resuming {} run(s) that were running when hookflow last stopped", released);
      }
    }
    if (settings.workers() <= 0) {
      return;
    }
    AtomicInteger number = new AtomicInteger();
    pool =
        new ThreadPoolExecutor(
            settings.workers(),
            settings.workers(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            task -> new Thread(task, "hookflow-worker-" + number.getAndIncrement()));
    running = true;
    dispatcher = new Thread(this::dispatch, "hookflow-dispatcher");
    dispatcher.start();
  }

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    wake();
    try {
      dispatcher.join(settings.lease().toMillis());
      pool.shutdown();
      giveBackUnstarted();
      // The runs under way finish, their leases renewed meanwhile (the dispatcher, which renews
      // them otherwise, is gone): another instance must not take one up while it is still sending.
      // At most a lease in all, as before.
      for (int waited = 0;
          waited < 3 && !pool.awaitTermination(lease().toMillis() / 3, TimeUnit.MILLISECONDS);
          waited++) {
        renew();
      }
      // The replies to the last messages sent, so that their runs' ends are recorded; and the ends
      // the store refused until now: once more before the writer stops (a run still not recorded
      // then is taken up again at the next start, or by another instance).
      mailer.readAwaitedReplies(Duration.ZERO);
      recordUnrecorded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Gives the runs that were waiting for a worker back to the store at once, as not yet attempted,
   * rather than working through them while stopping: another instance (or this one's next start)
   * takes them up without waiting for their leases to run out.
   */
  private void giveBackUnstarted() {
    List<Runnable> waiting = new ArrayList<>();
    pool.getQueue().drainTo(waiting);
    List<String> runIds = new ArrayList<>();
    for (Runnable task : waiting) {
      String runId = ((Task) task).claim().runId();
      holding.remove(runId);
      runIds.add(runId);
    }
    release(runIds.size());
    if (runIds.isEmpty()) {
      return;
    }
    try {
      int given = writes.execute(() -> store.giveBack(owner, runIds, clock.millis()));
      log.info("Stopping: {} run(s) not yet started go back to the store", given);
    } catch (RuntimeException e) {
      log.warn("Stopping: could not give {} run(s) back; their leases will run out", runIds.size());
    }
  }

  private void renew() {
    try {
      long until = clock.millis() + lease().toMillis();
      List<String> held = List.copyOf(holding);
      writes.execute(() -> store.renewLeases(owner, until, held));
    } catch (StoreUnavailableException e) {
      // The store's writer logs that once for all.
    } catch (RuntimeException e) {
      log.warn("Could not renew the leases of the runs under way", e);
    }
  }

  /** A claimed run for a worker; while it waits in the pool's queue, the claim says which. */
  private final class Task implements Runnable {
    private final Claim claim;

    Task(Claim claim) {
      this.claim = claim;
    }

    Claim claim() {
      return claim;
    }

    @Override
    public void run() {
      RunWorkers.this.run(claim);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void dispatch() {
    long seen = -1;
    long renewed = clock.millis();
    while (running) {
      int claimed = 0;
      try {
        if (clock.millis() - renewed >= lease().toMillis() / 3) {
          renewed = clock.millis();
          renew();
        }
        recordUnrecorded();
        // Replies left to be read with the next message on a connection that none has taken up
        // since: read now rather than left waiting for one.
        mailer.readAwaitedReplies(settings.pollInterval());
        claimed = claimDue();
      } catch (StoreUnavailableException e) {
        // The store's writer logs that once for all; the next look is after the usual pause.
      } catch (RuntimeException e) {
        log.warn("Could not claim due runs; trying again shortly", e);
      }
      if (claimed > 0) {
        continue;
      }
      synchronized (signal) {
        if (signals == seen && running) {
          try {
            signal.wait(settings.pollInterval().toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
        seen = signals;
      }
    }
  }

  private int claimDue() {
    int room = reserve(RUNS_PER_WORKER);
    if (room == 0) {
      return 0;
    }
    List<Claim> claims;
    try {
      long now = clock.millis();
      boolean expiredToo =
          now - expiredLookedAt >= settings.pollInterval().toMillis() || now < expiredLookedAt;
      if (expiredToo) {
        expiredLookedAt = now;
      }
      claims =
          writes.execute(
              () -> store.claim(owner, now, now + lease().toMillis(), room, expiredToo, holding));
    } catch (RuntimeException e) {
      release(room);
      throw e;
    }
    release(room - claims.size());
    start(claims);
    return claims.size();
  }

  private void run(Claim claim) {
    busy.incrementAndGet();
    CompletableFuture<Outcome> outcome;
    boolean lane = yieldToIntake.enter();
    try {
      outcome = executor.execute(claim);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    } finally {
      if (lane) {
        yieldToIntake.leave();
      }
    }
    CompletableFuture<?> recorded =
        outcome
            .exceptionally(
                error -> {
                  Throwable cause = RunExecutor.unwrapped(error);
                  log.error("Run {} could not be executed", claim.runId(), cause);
                  return executor.couldNotExecute(claim, cause);
                })
            .thenCompose(ended -> record(new RunStore.Finished(claim, ended)));
    if (busy.decrementAndGet() == 0 && pool.getQueue().isEmpty()) {
      // The last worker to go idle: no message is about to follow the ones whose replies are still
      // to be read, so they are read now (their runs are recorded once they are). While others
      // are busy, the next message on a connection reads its reply; the dispatcher reads those
      // left over a poll interval, so a run waits at most about two for its record.
      mailer.readAwaitedReplies(Duration.ZERO);
    }
    int limit = settings.unrecordedEnds();
    if (limit == 0) {
      return;
    }
    // The message an attempt sends last is recorded with its end, and an instance that dies before
    // that is committed has it sent again. With a limit, a worker goes on to its next runs while
    // at most that many of its ends wait for their commit: a crash then sends again at most that
    // many messages a worker besides the one in flight, however far the store's writer is behind.
    // Without (the default), every run's end shares a commit with others and the mail rate is
    // 20 % (limit 4) to 40 % (limit 1) higher under load (bench/README.md).
    Deque<CompletableFuture<?>> waiting = unrecordedEnds.get();
    waiting.addLast(recorded);
    while (waiting.size() > limit) {
      mailer.readAwaitedReplies(Duration.ZERO); // the end waited for may be a message's just sent
      waiting.removeFirst().exceptionally(error -> null).join();
    }
  }

  /**
   * Records the end of an attempt, then lets go of its run; or, if the store refused, not yet.
   * Completes once that is done.
   */
  private CompletableFuture<?> record(RunStore.Finished end) {
    Claim claim = end.claim();
    return writes
        .submit(finishing, end)
        .whenComplete(
            (recorded, error) -> {
              if (error != null && StoreFailures.ofTheStore(error) && running) {
                unrecorded.add(end); // the store's writer logs the outage once for all
                return;
              }
              holding.remove(claim.runId());
              release(1);
              if (error != null) {
                log.error(
                    "Could not record the end of run {}; it is taken up again after its lease",
                    claim.runId(),
                    error);
              } else {
                recorded(claim, end.outcome(), recorded);
              }
            });
  }

  /** Tries again to record the ends the store refused. */
  private void recordUnrecorded() {
    for (RunStore.Finished end = unrecorded.poll(); end != null; end = unrecorded.poll()) {
      record(end);
    }
  }

  /** Records the ends of the runs waiting for the same commit together: one batch per statement. */
  private List<Boolean> finish(List<RunStore.Finished> ends) {
    boolean[] recorded = store.finishAll(ends, clock.millis());
    List<Boolean> results = new ArrayList<>(recorded.length);
    for (boolean one : recorded) {
      results.add(one);
    }
    return results;
  }

  private void recorded(Claim claim, Outcome outcome, boolean recorded) {
    if (!recorded) {
      log.warn(
          "Run {} was taken over by another worker; its attempt is not recorded", claim.runId());
      return;
    }
    finishedRuns.get(outcome.state()).increment();
    if (outcome.state() == RunState.RETRYING) {
      log.info(
          "Run {} (flow '{}', event {}) will be retried at {}: {}",
          claim.runId(),
          claim.flow(),
          claim.eventUuid(),
          outcome.nextAttempt(),
          outcome.error());
    } else if (outcome.state() == RunState.FAILED) {
      log.warn(
          "Run {} (flow '{}', event {}) failed: {}",
          claim.runId(),
          claim.flow(),
          claim.eventUuid(),
          outcome.error());
    }
  }
}
