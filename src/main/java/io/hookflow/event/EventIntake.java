package io.hookflow.event;

import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.run.RunStore;
import io.hookflow.run.RunWorkers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where events enter: each new event is stored with one run per matching flow, in one transaction,
 * before the caller may acknowledge; an event already known is skipped.
 */
@Service
public class EventIntake {

  private final EventStore events;
  private final RunStore runs;
  private final RunWorkers workers;
  private final Flows flows;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final Clock clock;
  private final MeterRegistry meters;

  EventIntake(
      EventStore events,
      RunStore runs,
      RunWorkers workers,
      Flows flows,
      TransactionTemplate transactions,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters) {
    this.events = events;
    this.runs = runs;
    this.workers = workers;
    this.flows = flows;
    this.transactions = transactions;
    this.json = json;
    this.clock = clock;
    this.meters = meters;
  }

  /** What happened to a batch of events. */
  public record Receipt(int stored, int duplicates, int runs) {}

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
    Receipt receipt =
        transactions.execute(
            tx -> {
              long now = clock.millis();
              int stored = 0;
              int created = 0;
              for (OktaEvent event : batch) {
                List<Flow> matched = flows.match(event);
                String payload = json.writeValueAsString(event.json());
                if (!events.insertIfNew(event, payload, source, now, matched.size())) {
                  continue;
                }
                stored++;
                for (Flow flow : matched) {
                  runs.create(event.uuid(), flow.name(), now);
                  created++;
                }
              }
              alongside.run();
              return new Receipt(stored, batch.size() - stored, created);
            });
    meters.counter("hookflow.events.received", "source", source).increment(receipt.stored());
    meters.counter("hookflow.events.duplicates", "source", source).increment(receipt.duplicates());
    if (receipt.runs() > 0) {
      workers.wake();
    }
    return receipt;
  }
}
