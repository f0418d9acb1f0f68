package io.hookflow.okta;

import io.hookflow.flow.Flow;
import io.hookflow.flow.FlowDefinitionException;
import io.hookflow.flow.Flows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The org's applications, to check the flows' {@code applications:} entries (a typo must not
 * silently match nothing) and to turn labels into ids for the event hook's filter.
 */
public class OktaApps {

  private static final Logger log = LoggerFactory.getLogger(OktaApps.class);

  private final OktaApi okta;
  private volatile Map<String, List<String>> idsByKey;

  public OktaApps(OktaApi okta) {
    this.okta = okta;
  }

  /**
   * Fails with every unknown application, each naming its flow file. When Okta cannot be asked
   * (away, busy) the check is skipped with a warning: the hook must not depend on Okta's API.
   */
  void check(Flows flows) {
    if (flows.all().stream().allMatch(flow -> flow.trigger().applications().isEmpty())) {
      return;
    }
    try {
      load();
    } catch (OktaException e) {
      if (e.status() == 401 || e.status() == 403) {
        throw new OktaSettingsException(
            "Okta refuses hookflow's request for the org's applications (to check the flows'"
                + " trigger.applications): "
                + e.getMessage(),
            e);
      }
      log.warn("Cannot check the flows' applications against Okta now: {}", e.getMessage());
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Flow flow : flows.all()) {
      for (String app : flow.trigger().applications()) {
        if (ids(app).isEmpty()) {
          problems.add(
              flow.file()
                  + ": trigger.applications: Okta org "
                  + okta.orgUrl()
                  + " has no application with label or id '"
                  + app
                  + "'");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new FlowDefinitionException(problems);
    }
  }

  /**
   * The app ids ({@code 0oa…}) of a label or id as written in a flow: none if the org has no such
   * app, several if apps share the label (a flow naming the label runs for each of them).
   */
  public List<String> ids(String labelOrId) {
    if (idsByKey == null) {
      load();
    }
    return idsByKey.getOrDefault(labelOrId.toLowerCase(Locale.ROOT), List.of());
  }

  /** Reads every app, page by page along Okta's next links. */
  private void load() {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    String next = "/api/v1/apps?limit=200";
    for (int pages = 0; next != null && pages < 1000; pages++) {
      OktaApi.Response page = okta.list(next);
      for (JsonNode app : page.list()) {
        String id = app.path("id").asString("");
        if (!id.isEmpty()) {
          ids.computeIfAbsent(id.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(id);
          String label = app.path("label").asString("");
          if (!label.isEmpty() && !label.equalsIgnoreCase(id)) {
            ids.computeIfAbsent(label.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(id);
          }
        }
      }
      next = page.list().isEmpty() ? null : page.next().orElse(null);
    }
    idsByKey = ids;
  }
}
