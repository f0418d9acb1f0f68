package io.hookflow.flow;

import io.hookflow.event.OktaEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Which events start a flow.
 *
 * @param event the System Log event type
 * @param applications app ids ({@code 0oa…}) or labels as written; empty for every application
 * @param keys the same, lower-cased, for matching: labels match whatever their case
 */
public record Trigger(String event, List<String> applications, Set<String> keys) {

  public static Trigger of(String event, List<String> applications) {
    return new Trigger(
        event,
        List.copyOf(applications),
        applications.stream().map(Trigger::key).collect(Collectors.toUnmodifiableSet()));
  }

  /** Whether the event names one of the applications (any event does, when none are listed). */
  private boolean matchesApplication(OktaEvent oktaEvent) {
    if (keys.isEmpty()) {
      return true;
    }
    for (JsonNode app : oktaEvent.targets("AppInstance")) {
      if (keys.contains(key(app.path("id").asString("")))
          || keys.contains(key(app.path("alternateId").asString("")))) {
        return true;
      }
    }
    return false;
  }

  /** Why the event does not start a flow with this trigger, or empty if it does. */
  public Optional<String> whyNot(OktaEvent oktaEvent) {
    if (!event.equals(oktaEvent.eventType())) {
      return Optional.of("event type " + oktaEvent.eventType() + " is not the trigger's " + event);
    }
    if (matchesApplication(oktaEvent)) {
      return Optional.empty();
    }
    List<String> named = new ArrayList<>();
    for (JsonNode app : oktaEvent.targets("AppInstance")) {
      named.add(app.path("alternateId").asString("?") + " (" + app.path("id").asString("?") + ")");
    }
    return Optional.of(
        named.isEmpty()
            ? "the event names no application; the flow lists " + applications
            : "application " + String.join(", ", named) + " is not in " + applications);
  }

  /** How an application is looked up: labels match whatever their case. */
  static String key(String application) {
    return application.toLowerCase(Locale.ROOT);
  }
}
