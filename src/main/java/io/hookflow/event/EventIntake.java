package io.hookflow.event;

import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.run.Claim;
import io.hookflow.run.RunStore;
import io.hookflow.run.RunWorkers;
import io.hookflow.store.GroupCommit;
import io.hookflow.store.StoreStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
  private final StoreStatus storeStatus;
  private final GroupCommit.Together<Delivery, Stored> storing = this::store;
  private final Map<String, Counted> counted = new ConcurrentHashMap<>();

  EventIntake(
      EventStore events,
      RunStore runs,
      RunWorkers workers,
      Flows flows,
      GroupCommit store,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters,
      IntakeLoad load,
      StoreStatus storeStatus) {
    this.events = events;
    this.runs = runs;
    this.workers = workers;
    this.flows = flows;
    this.store = store;
    this.json = json;
    this.clock = clock;
    this.meters = meters;
    this.load = load;
    this.storeStatus = storeStatus;
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
    storeStatus.requireTheFile();
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
      stored = store.execute(storing, new Delivery(incoming, source, reserved, alongside));
      storeStatus.requireTheFile(); // as the writer found the file after this commit
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
    Counted counters = counted.computeIfAbsent(source, this::counters);
    counters.received().increment(receipt.stored());
    counters.duplicates().increment(receipt.duplicates());
    return receipt;
  }

  /**
   * One caller's events, where they came from, how many of their runs local workers have room for,
   * and what to write with them.
   */
  private record Delivery(
      List<Incoming> incoming, String source, int reserved, Runnable alongside) {}

  /**
   * Stores the deliveries waiting for the same commit together: all their events in one batch, all
   * their runs in another, then what each writes alongside. Per delivery, in order: what happened.
   */
  private List<Stored> store(List<Delivery> deliveries) {
    long now = clock.millis();
    long leaseUntil = now + workers.lease().toMillis();
    List<EventStore.NewEvent> newEvents = new ArrayList<>();
    for (Delivery delivery : deliveries) {
      for (Incoming in : delivery.incoming()) {
        newEvents.add(
            new EventStore.NewEvent(
                in.event(), in.payload(), in.flows().size(), delivery.source()));
      }
    }
    boolean[] isNew = events.insertIfNew(newEvents, now);
    List<Wanted> wanted = new ArrayList<>();
    int[] storedOf = new int[deliveries.size()];
    int next = 0;
    for (int d = 0; d < deliveries.size(); d++) {
      Delivery delivery = deliveries.get(d);
      int wantedBefore = wanted.size();
      for (Incoming in : delivery.incoming()) {
        if (!isNew[next++]) {
          continue;
        }
        storedOf[d]++;
        for (Flow flow : in.flows()) {
          boolean handOver = wanted.size() - wantedBefore < delivery.reserved();
          String owner = handOver ? workers.owner() : null;
          wanted.add(
              new Wanted(
                  new RunStore.NewRun(in.event().uuid(), flow.name(), owner), in.event(), d));
        }
      }
    }
    List<String> ids = runs.createAll(wanted.stream().map(Wanted::run).toList(), now, leaseUntil);
    int[] createdOf = new int[deliveries.size()];
    List<List<Claim>> handedOver = new ArrayList<>(deliveries.size());
    for (Delivery delivery : deliveries) {
      handedOver.add(new ArrayList<>(delivery.reserved()));
    }
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null) {
        continue;
      }
      int d = wanted.get(i).delivery();
      createdOf[d]++;
      RunStore.NewRun run = wanted.get(i).run();
      if (run.owner() != null) {
        handedOver.get(d).add(Claim.handedOver(id, run.flow(), run.owner(), wanted.get(i).event()));
      }
    }
    List<Stored> stored = new ArrayList<>(deliveries.size());
    for (int d = 0; d < deliveries.size(); d++) {
      Delivery delivery = deliveries.get(d);
      delivery.alongside().run();
      int duplicates = delivery.incoming().size() - storedOf[d];
      stored.add(new Stored(new Receipt(storedOf[d], duplicates, createdOf[d]), handedOver.get(d)));
    }
    return stored;
  }

  /**
   * A run to add, with the event it is for (handed over in memory if the run is claimed) and the
   * delivery it is counted for.
   */
  private record Wanted(RunStore.NewRun run, OktaEvent event, int delivery) {}

  /** A source's counters, looked up once rather than by name and tag for each delivery. */
  private record Counted(Counter received, Counter duplicates) {}

  private Counted counters(String source) {
    return new Counted(
        meters.counter("hookflow.events.received", "source", source),
        meters.counter("hookflow.events.duplicates", "source", source));
  }
}
