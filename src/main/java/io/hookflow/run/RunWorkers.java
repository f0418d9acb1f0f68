package io.hookflow.run;

import io.hookflow.HookflowProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Background threads that claim due runs and execute them. Intake wakes them when it stores new
 * runs; otherwise they look every {@code hookflow.runs.poll-interval} for retries that fell due.
 */
@Component
public class RunWorkers implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RunWorkers.class);

  private final RunStore store;
  private final RunExecutor executor;
  private final Clock clock;
  private final HookflowProperties.Runs settings;
  private final MeterRegistry meters;
  private final String instance = UUID.randomUUID().toString();
  private final Object signal = new Object();
  private final List<Thread> threads = new ArrayList<>();
  private long signals;
  private volatile boolean running;

  RunWorkers(
      RunStore store,
      RunExecutor executor,
      Clock clock,
      HookflowProperties properties,
      MeterRegistry meters) {
    this.store = store;
    this.executor = executor;
    this.clock = clock;
    this.settings = properties.runs();
    this.meters = meters;
    for (RunState state : RunState.values()) {
      Gauge.builder("hookflow.runs", store, s -> s.countByState().get(state))
          .tag("state", state.code())
          .description("Runs stored, by state")
          .register(meters);
    }
  }

  /** Tells idle workers that runs may be due now. */
  public void wake() {
    synchronized (signal) {
      signals++;
      signal.notifyAll();
    }
  }

  @Override
  public void start() {
    // Without workers (e.g. a command sharing the database with a running service) this
    // instance runs nothing, so it must not take runs from whoever does.
    if (settings.workers() > 0 && store.exclusive()) {
      int released = store.releaseAll(clock.millis());
      if (released > 0) {
        log.info("Resuming {} run(s) that were running when hookflow last stopped", released);
      }
    }
    running = true;
    for (int i = 0; i < settings.workers(); i++) {
      Thread thread = new Thread(this::work, "hookflow-worker-" + i);
      thread.start();
      threads.add(thread);
    }
  }

  @Override
  public void stop() {
    running = false;
    wake();
    for (Thread thread : threads) {
      try {
        thread.join(settings.lease().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void work() {
    String owner = instance + "/" + Thread.currentThread().getName();
    long seen = -1;
    while (running) {
      try {
        Optional<Claim> claim =
            store.claim(owner, clock.millis(), clock.millis() + settings.lease().toMillis());
        if (claim.isPresent()) {
          run(claim.get());
          continue;
        }
      } catch (RuntimeException e) {
        log.warn("A worker could not claim or finish a run; it tries again shortly", e);
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

  private void run(Claim claim) {
    Outcome outcome = executor.execute(claim);
    if (!store.finish(claim, outcome, clock.millis())) {
      log.warn(
          "Run {} was taken over by another worker; its attempt is not recorded", claim.runId());
      return;
    }
    meters.counter("hookflow.runs.finished", "state", outcome.state().code()).increment();
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
