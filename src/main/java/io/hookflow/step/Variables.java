package io.hookflow.step;

import io.hookflow.event.OktaEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The names an event gives a flow, after the outputs of Okta Workflows' event card: targets are
 * found by type, never by position.
 */
@Component
public class Variables {

  /** Every root name a template may use before any step adds its own. */
  public static final List<String> EVENT_ROOTS =
      List.of("event", "user", "appUser", "application", "actor");

  private final JsonMapper json;

  Variables(JsonMapper json) {
    this.json = json;
  }

  /** The event's parts, as JSON trees that templates walk as they are. */
  public Map<String, Object> of(OktaEvent event) {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("event", event.json());
    variables.put("user", event.target("User").orElse(null));
    variables.put("appUser", event.target("AppUser").orElse(null));
    variables.put("application", event.target("AppInstance").orElse(null));
    variables.put("actor", tree(event.json().get("actor")));
    return variables;
  }

  private static JsonNode tree(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  /** A JSON value as maps, lists and scalars, which templates walk. */
  public Object plain(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    return json.treeToValue(node, Object.class);
  }
}
