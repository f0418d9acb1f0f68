package io.hookflow.event;

import io.hookflow.HookflowProperties;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * How many batches of events are being taken in right now. Past {@code hookflow.runs.yield-at} the
 * intake counts as busy: a burst of deliveries is on, and acknowledging them (Okta waits at most 3
 * s) matters more than mailing a moment sooner.
 */
@Component
public class IntakeLoad {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final int busyAt;

  IntakeLoad(HookflowProperties properties) {
    this.busyAt = properties.runs().yieldAt();
  }

  void enter() {
    inFlight.incrementAndGet();
  }

  void leave() {
    inFlight.decrementAndGet();
  }

  /** Whether at least {@code yield-at} batches are being taken in at once (never if it is 0). */
  public boolean busy() {
    return busyAt > 0 && inFlight.get() >= busyAt;
  }
}
