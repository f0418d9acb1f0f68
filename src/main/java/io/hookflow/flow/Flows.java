package io.hookflow.flow;

import io.hookflow.event.OktaEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The flows in force, indexed by the event type that starts them and by the applications they name,
 * so that matching an event costs the same with one flow or a hundred for other apps.
 */
public final class Flows {

  private final Map<String, Flow> byName = new LinkedHashMap<>();
  private final Map<String, Integer> position = new HashMap<>();
  private final Map<String, List<Flow>> byEventType = new LinkedHashMap<>();
  private final Map<String, List<Flow>> forEveryApp = new HashMap<>();
  private final Map<String, Map<String, List<Flow>>> byApp = new HashMap<>();

  public Flows(List<Flow> flows) {
    for (Flow flow : flows) {
      byName.put(flow.name(), flow);
      position.put(flow.name(), position.size());
      Trigger trigger = flow.trigger();
      byEventType.computeIfAbsent(trigger.event(), t -> new ArrayList<>()).add(flow);
      if (trigger.keys().isEmpty()) {
        forEveryApp.computeIfAbsent(trigger.event(), t -> new ArrayList<>()).add(flow);
      }
      for (String app : trigger.keys()) {
        byApp
            .computeIfAbsent(trigger.event(), t -> new HashMap<>())
            .computeIfAbsent(app, a -> new ArrayList<>())
            .add(flow);
      }
    }
  }

  public List<Flow> all() {
    return List.copyOf(byName.values());
  }

  public Optional<Flow> named(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The event types some flow waits for. */
  public Set<String> eventTypes() {
    return byEventType.keySet();
  }

  /**
   * Why the event starts none of the flows, one reason per flow waiting for its type; empty when
   * some flow matches it.
   */
  public List<String> whyNoneMatch(OktaEvent event) {
    List<Flow> candidates = byEventType.getOrDefault(event.eventType(), List.of());
    if (candidates.isEmpty()) {
      return List.of("no flow is triggered by event type " + event.eventType());
    }
    List<String> reasons = new ArrayList<>();
    for (Flow flow : candidates) {
      Optional<String> why = flow.trigger().whyNot(event);
      if (why.isEmpty()) {
        return List.of();
      }
      reasons.add("flow '" + flow.name() + "': " + why.get());
    }
    return reasons;
  }

  /** The flows this event starts, each once, in the order the flows were read. */
  public List<Flow> match(OktaEvent event) {
    List<Flow> everyApp = forEveryApp.getOrDefault(event.eventType(), List.of());
    Map<String, List<Flow>> apps = byApp.get(event.eventType());
    if (apps == null) {
      return everyApp;
    }
    TreeMap<Integer, Flow> matched = new TreeMap<>();
    everyApp.forEach(flow -> matched.put(position.get(flow.name()), flow));
    for (JsonNode app : event.targets("AppInstance")) {
      for (String key :
          List.of(app.path("id").asString(""), app.path("alternateId").asString(""))) {
        for (Flow flow : apps.getOrDefault(Trigger.key(key), List.of())) {
          matched.put(position.get(flow.name()), flow);
        }
      }
    }
    return new ArrayList<>(matched.values());
  }
}
