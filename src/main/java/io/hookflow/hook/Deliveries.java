package io.hookflow.hook;

import io.hookflow.event.InvalidEventException;
import io.hookflow.event.OktaEvent;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads the events out of an event hook delivery: {@code {"data": {"events": [...]}}}. */
final class Deliveries {

  private Deliveries() {}

  static List<OktaEvent> events(JsonNode delivery) {
    if (delivery == null || !delivery.isObject()) {
      throw new InvalidEventException("the body must be a JSON object with data.events");
    }
    JsonNode events = delivery.path("data").path("events");
    if (!events.isArray()) {
      throw new InvalidEventException("data.events must be an array of System Log events");
    }
    List<OktaEvent> parsed = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      parsed.add(OktaEvent.of(events.get(i), "data.events[" + i + "]"));
    }
    return parsed;
  }
}
