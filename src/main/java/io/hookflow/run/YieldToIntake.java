package io.hookflow.run;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * While intake is busy, runs start one at a time instead of one per worker: the CPU goes to
 * acknowledging the burst, and the runs that wait meanwhile are safe in the store (or in this
 * instance's memory, under their lease). One run always proceeds, so a steady stream of deliveries
 * slows the mail down but never stops it.
 */
final class YieldToIntake {

  private static final long RECHECK_MILLIS = 5;

  private final BooleanSupplier intakeBusy;
  private final Semaphore lane = new Semaphore(1);

  YieldToIntake(BooleanSupplier intakeBusy) {
    this.intakeBusy = intakeBusy;
  }

  /**
   * Waits for this run's turn. Returns whether the caller holds the one lane of a busy intake and
   * must {@link #leave() leave} it after the run.
   */
  boolean enter() {
    try {
      while (intakeBusy.getAsBoolean()) {
        if (lane.tryAcquire(RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      // Stopping: the run goes ahead as it would have without a burst.
      Thread.currentThread().interrupt();
    }
    return false;
  }

  void leave() {
    lane.release();
  }
}
