package io.hookflow.console;

import io.hookflow.event.EventHistory;
import io.hookflow.event.EventRow;
import io.hookflow.event.EventStore;
import io.hookflow.event.OktaEvent;
import io.hookflow.flow.Flows;
import io.hookflow.run.RunStore;
import io.hookflow.run.RunSummary;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Events with the runs they started, or why they started none. */
@Service
class EventListing {

  private final EventHistory history;
  private final EventStore events;
  private final RunStore runs;
  private final Flows flows;
  private final JsonMapper json;

  EventListing(
      EventHistory history, EventStore events, RunStore runs, Flows flows, JsonMapper json) {
    this.history = history;
    this.events = events;
    this.runs = runs;
    this.flows = flows;
    this.json = json;
  }

  /**
   * An event as listed.
   *
   * @param whyNoFlow when it started no run: why, by today's flows
   */
  record Listed(EventRow event, List<Started> runs, List<String> whyNoFlow) {}

  /** A run an event started, with its state as a code ({@code failed}). */
  record Started(String id, String flow, String state, int attempts, String lastError) {}

  record Page(List<Listed> events, int page, int size, long total) {

    public int pages() {
      return (int) Math.max(1, (total + size - 1) / size);
    }
  }

  Page page(String eventType, int page, int size) {
    List<Listed> listed =
        history.newest(eventType, (page - 1) * size, size).stream().map(this::listed).toList();
    return new Page(listed, page, size, history.count(eventType));
  }

  Listed listed(EventRow event) {
    List<Started> started =
        runs.runsOf(event.uuid()).stream()
            .map(
                (RunSummary run) ->
                    new Started(
                        run.id(), run.flow(), run.state().code(), run.attempts(), run.lastError()))
            .toList();
    if (!started.isEmpty()) {
      return new Listed(event, started, List.of());
    }
    List<String> why =
        events
            .payload(event.uuid())
            .map(
                payload -> flows.whyNoneMatch(OktaEvent.of(json.readTree(payload), "stored event")))
            .orElse(List.of());
    if (why.isEmpty()) {
      why = List.of("no flow matched when it arrived; a flow added since would match it now");
    }
    return new Listed(event, started, why);
  }
}
