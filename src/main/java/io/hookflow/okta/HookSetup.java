package io.hookflow.okta;

import io.hookflow.Hosts;
import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.hook.HookSecret;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Creates or updates (found by name) the Okta event hook that delivers the flows' events to
 * hookflow, then has Okta verify it: what an admin would otherwise click through in the Admin
 * Console.
 */
public class HookSetup {

  static final String HOOKS = "/api/v1/eventHooks";

  private final OktaApi okta;
  private final OktaApps apps;
  private final Flows flows;
  private final HookSecret secret;

  HookSetup(OktaApi okta, OktaApps apps, Flows flows, HookSecret secret) {
    this.okta = okta;
    this.apps = apps;
    this.flows = flows;
    this.secret = secret;
  }

  /**
   * What was done.
   *
   * @param created false when an existing hook of that name was updated
   * @param filters event type to its Okta Expression Language filter, where there is one
   * @param verification Okta's answer when it did not verify, else null
   */
  public record Result(
      String id,
      String name,
      boolean created,
      List<String> eventTypes,
      Map<String, String> filters,
      boolean verified,
      String verification) {}

  /**
   * @throws IllegalArgumentException for a URL Okta will not call, or flows without events
   * @throws OktaException when Okta refuses or cannot be reached
   */
  public Result setUp(String url, String name) {
    URI uri = checkedUrl(url);
    List<String> eventTypes = new ArrayList<>(new TreeSet<>(flows.eventTypes()));
    if (eventTypes.isEmpty()) {
      throw new IllegalArgumentException("no flow names an event type: nothing to subscribe to");
    }
    Map<String, String> filters = filters(eventTypes);
    Map<String, Object> body = hook(name, uri, eventTypes, filters);
    JsonNode existing = find(name);
    JsonNode hook =
        existing == null
            ? okta.send("POST", HOOKS, body).body()
            : okta.send("PUT", HOOKS + "/" + okta.segment(existing.path("id").asString()), body)
                .body();
    String id = hook.path("id").asString();
    if ("INACTIVE".equals(hook.path("status").asString(""))) {
      okta.send("POST", HOOKS + "/" + okta.segment(id) + "/lifecycle/activate", null);
    }
    try {
      JsonNode verified =
          okta.send("POST", HOOKS + "/" + okta.segment(id) + "/lifecycle/verify", null).body();
      boolean ok = "VERIFIED".equals(verified.path("verificationStatus").asString(""));
      return new Result(
          id,
          name,
          existing == null,
          eventTypes,
          filters,
          ok,
          ok ? null : "Okta answered " + verified.path("verificationStatus").asString("nothing"));
    } catch (OktaException e) {
      if (e.status() == 0 || e.status() == 401 || e.status() == 403) {
        throw e;
      }
      return new Result(id, name, existing == null, eventTypes, filters, false, e.getMessage());
    }
  }

  /** The hooks of the org, for {@code okta status}. */
  public List<JsonNode> hooks() {
    return okta.list(HOOKS).list();
  }

  private JsonNode find(String name) {
    for (JsonNode hook : hooks()) {
      if (name.equals(hook.path("name").asString(null))) {
        return hook;
      }
    }
    return null;
  }

  /**
   * Okta calls only https URLs; plain http is let through on loopback addresses, for tests and a
   * local stub.
   */
  static URI checkedUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url);
    }
    if (uri.getHost() == null || uri.getScheme() == null) {
      throw new IllegalArgumentException("not an absolute URL: " + url);
    }
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      return uri;
    }
    if ("http".equalsIgnoreCase(uri.getScheme()) && Hosts.loopback(uri.getHost())) {
      return uri;
    }
    throw new IllegalArgumentException(
        "the hook URL must be https (Okta calls nothing else), except on a loopback address: "
            + url);
  }

  /**
   * A filter for each event type whose every flow names its applications: Okta then sends only
   * events about those apps.
   */
  private Map<String, String> filters(List<String> eventTypes) {
    Map<String, String> filters = new LinkedHashMap<>();
    for (String type : eventTypes) {
      List<Flow> forType =
          flows.all().stream().filter(f -> f.trigger().event().equals(type)).toList();
      if (forType.stream().anyMatch(f -> f.trigger().applications().isEmpty())) {
        continue;
      }
      Set<String> ids = new LinkedHashSet<>();
      for (Flow flow : forType) {
        for (String app : flow.trigger().applications()) {
          List<String> found = apps.ids(app);
          if (found.isEmpty()) {
            throw new IllegalArgumentException(
                flow.file() + ": Okta has no application '" + app + "'");
          }
          ids.addAll(found);
        }
      }
      filters.put(type, expression(ids));
    }
    return filters;
  }

  static String expression(Set<String> appIds) {
    List<String> conditions = new ArrayList<>();
    for (String id : appIds) {
      conditions.add("id eq '" + id.replace("'", "") + "'");
    }
    return "event.target.?[type eq 'AppInstance' && ("
        + String.join(" || ", conditions)
        + ")].size() > 0";
  }

  private Map<String, Object> hook(
      String name, URI uri, List<String> eventTypes, Map<String, String> filters) {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("type", "EVENT_TYPE");
    events.put("items", eventTypes);
    if (!filters.isEmpty()) {
      List<Map<String, Object>> map = new ArrayList<>();
      filters.forEach(
          (type, expression) -> {
            Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("version", null);
            condition.put("expression", expression);
            map.add(Map.of("event", type, "condition", condition));
          });
      events.put("filter", Map.of("type", "EXPRESSION_LANGUAGE", "eventFilterMap", map));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("uri", uri.toString());
    config.put("headers", List.of());
    config.put(
        "authScheme", Map.of("type", "HEADER", "key", secret.header(), "value", secret.value()));
    Map<String, Object> channel = new LinkedHashMap<>();
    channel.put("type", "HTTP");
    channel.put("version", "1.0.0");
    channel.put("config", config);
    Map<String, Object> hook = new LinkedHashMap<>();
    hook.put("name", name);
    hook.put(
        "description", "Okta events for hookflow's flows; set up by 'hookflow okta setup-hook'");
    hook.put("events", events);
    hook.put("channel", channel);
    return hook;
  }
}
