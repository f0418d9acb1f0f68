package io.hookflow.event;

import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.run.Claim;
import io.hookflow.run.RunStore;
import io.hookflow.run.RunWorkers;
import io.hookflow.store.GroupCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where events enter: each new event is stored with one run per matching flow, in one transaction,
 * before the caller may acknowledge; an event already known is skipped.
 *
 * <p>Runs that local workers have room for are created already claimed and handed over in memory,
 * so they start without another round trip to the store; the rest wait in the store as pending.
 */
@Service
public class EventIntake {

  private final EventStore events;
  private final RunStore runs;
  private final RunWorkers workers;
  private final Flows flows;
  private final GroupCommit store;
  private final JsonMapper json;
  private final Clock clock;
  private final MeterRegistry meters;
  private final IntakeLoad load;

  EventIntake(
      EventStore events,
      RunStore runs,
      RunWorkers workers,
      Flows flows,
      GroupCommit store,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters,
      IntakeLoad load) {
    this.events = events;
    this.runs = runs;
    this.workers = workers;
    this.flows = flows;
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.meters = meters;
    this.load = load;
  }

  /** What happened to a batch of events. */
  public record Receipt(int stored, int duplicates, int runs) {}

  private record Incoming(OktaEvent event, String payload, List<Flow> flows) {}

  private record Stored(Receipt receipt, List<Claim> handedOver) {}

  /**
   * Stores the events durably; when this returns, they survive a crash.
   *
   * @param source where they came from: {@code hook} or {@code poll}
   */
  public Receipt accept(List<OktaEvent> batch, String source) {
    return accept(batch, source, () -> {});
  }

  /**
   * Stores the events as {@link #accept(List, String)} does, and runs {@code alongside} in the same
   * transaction: what it writes (say, the poller's cursor) is committed with the events or not at
   * all.
   */
  public Receipt accept(List<OktaEvent> batch, String source, Runnable alongside) {
    load.enter();
    try {
      return take(batch, source, alongside);
    } finally {
      load.leave();
    }
  }

  private Receipt take(List<OktaEvent> batch, String source, Runnable alongside) {
    List<Incoming> incoming = new ArrayList<>(batch.size());
    int possibleRuns = 0;
    for (OktaEvent event : batch) {
      List<Flow> matched = flows.match(event);
      String payload = event.text() != null ? event.text() : json.writeValueAsString(event.json());
      incoming.add(new Incoming(event, payload, matched));
      possibleRuns += matched.size();
    }
    int reserved = workers.reserve(possibleRuns);
    Stored stored;
    try {
      stored = store.execute(() -> store(incoming, source, reserved, alongside));
    } catch (RuntimeException e) {
      workers.release(reserved);
      throw e;
    }
    workers.release(reserved - stored.handedOver().size());
    workers.start(stored.handedOver());
    if (stored.receipt().runs() > stored.handedOver().size()) {
      workers.wake();
    }
    Receipt receipt = stored.receipt();
    counter("hookflow.events.received", source).increment(receipt.stored());
    counter("hookflow.events.duplicates", source).increment(receipt.duplicates());
    return receipt;
  }

  private Stored store(List<Incoming> incoming, String source, int reserved, Runnable alongside) {
    long now = clock.millis();
    long leaseUntil = now + workers.lease().toMillis();
    boolean[] isNew =
        events.insertIfNew(
            incoming.stream()
                .map(in -> new EventStore.NewEvent(in.event(), in.payload(), in.flows().size()))
                .toList(),
            source,
            now);
    int stored = 0;
    List<Wanted> wanted = new ArrayList<>();
    for (int i = 0; i < incoming.size(); i++) {
      if (!isNew[i]) {
        continue;
      }
      stored++;
      OktaEvent event = incoming.get(i).event();
      for (Flow flow : incoming.get(i).flows()) {
        String owner = wanted.size() < reserved ? workers.owner() : null;
        wanted.add(new Wanted(new RunStore.NewRun(event.uuid(), flow.name(), owner), event));
      }
    }
    List<String> ids = runs.createAll(wanted.stream().map(Wanted::run).toList(), now, leaseUntil);
    int created = 0;
    List<Claim> handedOver = new ArrayList<>(reserved);
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null) {
        continue;
      }
      created++;
      RunStore.NewRun run = wanted.get(i).run();
      if (run.owner() != null) {
        handedOver.add(Claim.handedOver(id, run.flow(), run.owner(), wanted.get(i).event()));
      }
    }
    alongside.run();
    return new Stored(new Receipt(stored, incoming.size() - stored, created), handedOver);
  }

  /** A run to add, with the event it is for: handed over in memory if it is claimed. */
  private record Wanted(RunStore.NewRun run, OktaEvent event) {}

  private Counter counter(String name, String source) {
    return meters.counter(name, "source", source);
  }
}
