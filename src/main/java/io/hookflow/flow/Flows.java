package io.hookflow.flow;

import io.hookflow.event.OktaEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The flows in force, indexed by the event type that starts them. */
public final class Flows {

  private final Map<String, Flow> byName = new LinkedHashMap<>();
  private final Map<String, List<Flow>> byEventType = new LinkedHashMap<>();

  public Flows(List<Flow> flows) {
    for (Flow flow : flows) {
      byName.put(flow.name(), flow);
      byEventType.computeIfAbsent(flow.trigger().event(), t -> new ArrayList<>()).add(flow);
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

  /** The flows this event starts. */
  public List<Flow> match(OktaEvent event) {
    List<Flow> candidates = byEventType.getOrDefault(event.eventType(), List.of());
    List<Flow> matched = new ArrayList<>(candidates.size());
    for (Flow flow : candidates) {
      if (flow.trigger().matchesApplication(event)) {
        matched.add(flow);
      }
    }
    return matched;
  }
}
