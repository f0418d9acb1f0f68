package io.hookflow.event;

import io.hookflow.HookflowProperties;
import io.hookflow.run.RunStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * How many batches of events are being taken in right now. Past {@code hookflow.runs.yield-at} the
 * intake counts as busy: a burst of deliveries is on, and acknowledging them (Okta waits at most 3
 * s) matters more than mailing a moment sooner.
 *
 * <p>Unset, it depends on the store. On PostgreSQL, runs that wait for a burst are claimed and
 * finished afterwards in large batches, a round trip to the server each, fewer than while they run
 * among the burst's own commits: yielding at 12 deliveries measured faster end to end there. On
 * SQLite, where a statement is no round trip, a run that waits only costs a claim more: it does not
 * yield.
 */
@Component
public class IntakeLoad {

  /** Where a shared store yields when {@code yield-at} is unset. */
  static final int SHARED_STORE_YIELD_AT = 12;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final int busyAt;

  IntakeLoad(HookflowProperties properties, RunStore runs) {
    this.busyAt = busyAt(properties.runs().yieldAt(), runs.exclusive());
  }

  /** The deliveries in flight from which intake is busy: as set, else by the kind of store. */
  static int busyAt(Integer yieldAt, boolean exclusiveStore) {
    if (yieldAt != null) {
      return yieldAt;
    }
    return exclusiveStore ? 0 : SHARED_STORE_YIELD_AT;
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
