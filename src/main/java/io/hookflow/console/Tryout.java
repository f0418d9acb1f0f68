package io.hookflow.console;

import io.hookflow.event.EventStore;
import io.hookflow.event.InvalidEventException;
import io.hookflow.event.OktaEvent;
import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.step.DryRun;
import io.hookflow.web.ApiException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Try it: a flow run on a stored or pasted event, emails rendered and never sent. */
@Service
class Tryout {

  private final Flows flows;
  private final EventStore events;
  private final DryRun dryRun;
  private final JsonMapper json;

  Tryout(Flows flows, EventStore events, DryRun dryRun, JsonMapper json) {
    this.flows = flows;
    this.events = events;
    this.dryRun = dryRun;
    this.json = json;
  }

  /**
   * What a dry run found.
   *
   * @param matches whether the event would start the flow; the steps run either way
   * @param whyNot why it would not, or null
   */
  record Result(
      String flow,
      String eventUuid,
      String eventType,
      boolean matches,
      String whyNot,
      List<DryRun.StepPreview> steps,
      List<Map<String, Object>> emails,
      String error) {}

  Flow flow(String name) {
    return flows
        .named(name)
        .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "no flow named '" + name + "'"));
  }

  /** Runs the flow on a stored event. */
  Result stored(String flowName, String eventUuid) {
    String payload =
        events
            .payload(eventUuid)
            .orElseThrow(
                () -> new ApiException(HttpStatus.NOT_FOUND, "no stored event " + eventUuid));
    return run(flow(flowName), json.readTree(payload));
  }

  /**
   * Runs the flow on pasted JSON: an Okta event, an event hook delivery (its first event), or
   * {@code {"eventUuid": "…"}} naming a stored event.
   */
  Result pasted(String flowName, String body) {
    Flow flow = flow(flowName);
    JsonNode node;
    try {
      node = json.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
    }
    if (node != null && node.path("eventUuid").isString() && !node.has("eventType")) {
      return stored(flowName, node.path("eventUuid").asString());
    }
    JsonNode delivered = node == null ? null : node.path("data").path("events").path(0);
    if (delivered != null && delivered.isObject()) {
      node = delivered;
    }
    return run(flow, node);
  }

  private Result run(Flow flow, JsonNode node) {
    OktaEvent event;
    try {
      event = OktaEvent.of(node, "the event");
    } catch (InvalidEventException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    String whyNot = flow.trigger().whyNot(event).orElse(null);
    DryRun.Result result = dryRun.run(flow.name(), flow.steps(), event);
    return new Result(
        flow.name(),
        event.uuid(),
        event.eventType(),
        whyNot == null,
        whyNot,
        result.steps(),
        result.emails(),
        result.error());
  }
}
