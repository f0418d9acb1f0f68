package io.hookflow.console;

import io.hookflow.event.EventHistory;
import io.hookflow.mail.Mailer;
import io.hookflow.okta.PollStatus;
import io.hookflow.run.RunFilter;
import io.hookflow.run.RunHistory;
import io.hookflow.run.RunState;
import io.hookflow.run.RunStats;
import io.hookflow.run.RunStore;
import io.hookflow.store.StoreStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/** The first page: what came in, what went out, what failed, and how things are connected. */
@Controller
class OverviewPage implements ConsolePages.Page {

  private static final int CHART_DAYS = 7;
  private static final int CHART_HEIGHT = 100;

  private final EventHistory events;
  private final RunHistory runs;
  private final RunStats stats;
  private final RunStore store;
  private final Mailer mailer;
  private final ObjectProvider<PollStatus> poller;
  private final StoreStatus storeStatus;
  private final Clock clock;

  OverviewPage(
      EventHistory events,
      RunHistory runs,
      RunStats stats,
      RunStore store,
      Mailer mailer,
      ObjectProvider<PollStatus> poller,
      StoreStatus storeStatus,
      Clock clock) {
    this.events = events;
    this.runs = runs;
    this.stats = stats;
    this.store = store;
    this.mailer = mailer;
    this.poller = poller;
    this.storeStatus = storeStatus;
    this.clock = clock;
  }

  @GetMapping("/")
  ModelAndView overview() {
    Instant now = clock.instant();
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Overview");
    model.put("navOverview", true);
    model.put("periods", List.of(period("Last 24 hours", now, 1), period("Last 7 days", now, 7)));
    model.put("chart", chart());
    Map<RunState, Long> current = store.countByState();
    model.put("waiting", current.get(RunState.PENDING) + current.get(RunState.RETRYING));
    model.put("running", current.get(RunState.RUNNING));
    List<Map<String, Object>> failures =
        runs
            .page(new RunFilter(null, RunState.FAILED, null, null, null, null), 1, 5)
            .runs()
            .stream()
            .map(RunPages::row)
            .toList();
    model.put("failures", failures);
    model.put("hasFailures", !failures.isEmpty());
    model.put("lastHook", events.lastReceived("hook").map(Show::time).orElse("none yet"));
    model.put("lastPoll", events.lastReceived("poll").map(Show::time).orElse("none yet"));
    model.put("poller", pollerState());
    model.put("mail", mailer.describe());
    String storeProblem = storeStatus.problem();
    model.put("store", storeProblem == null ? "takes writes" : storeProblem);
    model.put("storeDown", storeProblem != null);
    return new ModelAndView("overview", model);
  }

  /** The System Log poller's state in one line: lag, last poll, trouble. */
  private String pollerState() {
    PollStatus status = poller.getIfAvailable();
    if (status == null) {
      return "off (hookflow.okta.poll.enabled)";
    }
    Map<String, Object> details = status.details();
    List<String> parts = new ArrayList<>();
    if (Boolean.TRUE.equals(details.get("standby"))) {
      parts.add("standing by: another instance polls");
    }
    parts.add(
        details.containsKey("lagSeconds")
            ? "cursor lag " + details.get("lagSeconds") + " s"
            : "no event seen yet");
    parts.add("last poll " + details.getOrDefault("lastPoll", "not yet"));
    if (details.containsKey("lastError")) {
      parts.add(details.get("consecutiveErrors") + " error(s), last: " + details.get("lastError"));
    }
    return String.join("; ", parts);
  }

  private Map<String, Object> period(String name, Instant now, int days) {
    Instant since = now.minus(Duration.ofDays(days));
    Map<String, Long> counts = stats.countsSince(since);
    Map<String, Object> period = new HashMap<>();
    period.put("name", name);
    period.put("events", events.receivedSince(since));
    period.put("succeeded", counts.get("succeeded"));
    period.put("retrying", counts.get("retrying"));
    period.put("failed", counts.get("failed"));
    return period;
  }

  /** One stacked bar per day: succeeded at the bottom, then failed, then still open. */
  private Map<String, Object> chart() {
    List<RunStats.Day> days = stats.daily(CHART_DAYS);
    long highest = Math.max(1, days.stream().mapToLong(RunStats.Day::total).max().orElse(1));
    List<Map<String, Object>> bars = new ArrayList<>();
    for (int i = 0; i < days.size(); i++) {
      RunStats.Day day = days.get(i);
      int succeeded = scale(day.succeeded(), highest);
      int failed = scale(day.failed(), highest);
      int open = scale(day.open(), highest);
      Map<String, Object> bar = new HashMap<>();
      bar.put("x", 10 + i * 40);
      bar.put("label", day.date().toString().substring(5));
      bar.put("labelX", 25 + i * 40);
      bar.put("succeededY", CHART_HEIGHT - succeeded);
      bar.put("succeeded", succeeded);
      bar.put("failedY", CHART_HEIGHT - succeeded - failed);
      bar.put("failed", failed);
      bar.put("openY", CHART_HEIGHT - succeeded - failed - open);
      bar.put("open", open);
      bar.put(
          "title",
          day.date()
              + ": "
              + day.succeeded()
              + " succeeded, "
              + day.failed()
              + " failed, "
              + day.open()
              + " under way");
      bars.add(bar);
    }
    return Map.of("bars", bars, "highest", highest);
  }

  private static int scale(long count, long highest) {
    return (int) Math.round((double) count * CHART_HEIGHT / highest);
  }
}
