package io.hookflow.okta;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** What {@code okta status} shows: the org's event hooks and where the poller stands. */
@Component
public class OktaStatus {

  private final ObjectProvider<HookSetup> hooks;
  private final CursorStore cursors;
  private final Clock clock;

  OktaStatus(ObjectProvider<HookSetup> hooks, CursorStore cursors, Clock clock) {
    this.hooks = hooks;
    this.cursors = cursors;
    this.clock = clock;
  }

  /** Prints the status; false if Okta could not be asked. */
  public boolean print(PrintStream out) {
    boolean ok = true;
    HookSetup setup = hooks.getIfAvailable();
    if (setup == null) {
      out.println("Okta: not configured (hookflow.okta.org-url is not set)");
    } else {
      try {
        List<JsonNode> all = setup.hooks();
        out.println("Event hooks: " + all.size());
        for (JsonNode hook : all) {
          List<String> events = new ArrayList<>();
          hook.path("events").path("items").forEach(item -> events.add(item.asString()));
          out.printf(
              "  %s  %s  %s  %s  %s  %s%n",
              hook.path("name").asString(""),
              hook.path("id").asString(""),
              hook.path("status").asString(""),
              hook.path("verificationStatus").asString(""),
              hook.path("channel").path("config").path("uri").asString(""),
              events);
        }
      } catch (OktaException e) {
        out.println("Event hooks: cannot list them: " + e.getMessage());
        ok = false;
      }
    }
    cursors
        .find(CursorStore.SYSTEM_LOG)
        .ifPresentOrElse(
            cursor -> {
              out.println("System Log cursor: " + cursor.nextUrl());
              out.println("  filter: " + cursor.filter());
              out.println("  last poll: " + time(cursor.polledAt()));
              out.println("  newest event: " + time(cursor.newestPublished()));
              if (cursor.newestPublished() != null) {
                Duration lag =
                    Duration.between(
                        Instant.ofEpochMilli(cursor.newestPublished()), clock.instant());
                out.println("  lag: " + lag.toSeconds() + "s");
              }
            },
            () -> out.println("System Log cursor: none (the poller has not run)"));
    return ok;
  }

  private static String time(Long millis) {
    return millis == null ? "never" : Instant.ofEpochMilli(millis).toString();
  }
}
