package io.hookflow.hook;

import io.hookflow.event.InvalidEventException;
import io.hookflow.event.OktaEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the events out of an event hook delivery, {@code {"data": {"events": [...]}}}, in one pass
 * over the body: each event is read into a tree and its text is kept exactly as it arrived, so it
 * is stored without being written out again.
 */
final class Deliveries {

  private static final String NOT_A_DELIVERY = "the body must be a JSON object with data.events";
  private static final String NO_EVENTS = "data.events must be an array of System Log events";

  private final JsonMapper json;
  private final ObjectReader event;
  private final int maxEvents;

  Deliveries(JsonMapper json, int maxEvents) {
    this.json = json;
    this.maxEvents = maxEvents;
    // An event is one value inside the body: what follows it is the rest of the body.
    this.event = json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * The events of a delivery.
   *
   * @throws JacksonException if the body is not well-formed JSON
   * @throws InvalidEventException if it is JSON but not a delivery of events
   * @throws TooManyEvents if it holds more events than a delivery may
   */
  List<OktaEvent> events(byte[] body) {
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidEventException(NOT_A_DELIVERY);
      }
      List<OktaEvent> events = null;
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("data".equals(name)) {
          // As in a tree, the last "data" counts.
          events = value == JsonToken.START_OBJECT ? data(parser, body) : skip(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw new InvalidEventException("the body has more after its JSON object");
      }
      if (events == null) {
        throw new InvalidEventException(NO_EVENTS);
      }
      return events;
    }
  }

  private List<OktaEvent> data(JsonParser parser, byte[] body) {
    List<OktaEvent> events = null;
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("events".equals(name)) {
        events = value == JsonToken.START_ARRAY ? array(parser, body) : skip(parser);
      } else {
        parser.skipChildren();
      }
    }
    return events;
  }

  private List<OktaEvent> array(JsonParser parser, byte[] body) {
    List<OktaEvent> events = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (events.size() == maxEvents) {
        // Refused before the rest is read into memory.
        throw new TooManyEvents(maxEvents);
      }
      long start = parser.currentTokenLocation().getByteOffset();
      JsonNode tree = event.readTree(parser);
      long end = parser.currentLocation().getByteOffset();
      String where = "data.events[" + events.size() + "]";
      events.add(OktaEvent.of(tree, text(body, start, end, tree), where));
    }
    return events;
  }

  /** A delivery holding more events than {@code hookflow.hook.max-events}. */
  static final class TooManyEvents extends RuntimeException {
    TooManyEvents(int max) {
      super("a delivery may hold at most " + max + " events (hookflow.hook.max-events)");
    }
  }

  /** Skips the value the parser is at; there are no events in it. */
  private static List<OktaEvent> skip(JsonParser parser) {
    parser.skipChildren();
    return null;
  }

  /** The event's bytes as text; null if the parser could not say where they are. */
  private static String text(byte[] body, long start, long end, JsonNode event) {
    if (!event.isObject() || start < 0 || end <= start || end > body.length) {
      return null;
    }
    return new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
  }
}
