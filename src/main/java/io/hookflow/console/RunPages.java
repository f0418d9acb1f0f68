package io.hookflow.console;

import io.hookflow.event.EventStore;
import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.run.RunHistory;
import io.hookflow.run.RunPage;
import io.hookflow.run.RunState;
import io.hookflow.run.RunView;
import io.hookflow.run.StepView;
import io.hookflow.web.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/** The runs list with its filters, one run's whole story, and Retry. */
@Controller
class RunPages implements ConsolePages.Page {

  private static final List<String> FILTERS =
      List.of("flow", "state", "user", "application", "from", "to");

  private final RunHistory runs;
  private final EventStore events;
  private final Flows flows;
  private final JsonMapper json;
  private final Clock clock;

  RunPages(RunHistory runs, EventStore events, Flows flows, JsonMapper json, Clock clock) {
    this.runs = runs;
    this.events = events;
    this.flows = flows;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/runs")
  ModelAndView list(@RequestParam Map<String, String> params) {
    RunPage page = runs.page(Queries.runFilter(params), Queries.page(params), Queries.size(params));
    Map<String, String> kept = new LinkedHashMap<>();
    FILTERS.forEach(name -> kept.put(name, params.getOrDefault(name, "")));
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Runs");
    model.put("navRuns", true);
    model.put("filter", kept);
    model.put("flows", options(flows.all().stream().map(Flow::name).toList(), kept.get("flow")));
    model.put(
        "states",
        options(Arrays.stream(RunState.values()).map(RunState::code).toList(), kept.get("state")));
    model.put("runs", page.runs().stream().map(RunPages::row).toList());
    model.put("total", page.total());
    // Listing the failed runs, all of them (every page) can be retried in one go.
    model.put("retryAll", "failed".equals(kept.get("state")) && page.total() > 0);
    model.put("page", page.page());
    model.put("pages", page.pages());
    Map<String, String> linked = Queries.withSize(kept, params);
    if (page.page() > 1) {
      model.put("previous", "/runs" + Show.query(linked, "page", page.page() - 1));
    }
    if (page.page() < page.pages()) {
      model.put("next", "/runs" + Show.query(linked, "page", page.page() + 1));
    }
    return new ModelAndView("runs", model);
  }

  @GetMapping("/runs/{id}")
  ModelAndView detail(@PathVariable String id) {
    RunView run =
        runs.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "No run " + id));
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Run of " + run.flow());
    model.put("navRuns", true);
    Map<String, Object> row = row(run);
    if (run.nextAttemptAt() != null && !run.nextAttemptAt().isAfter(clock.instant())) {
      // due: waiting for a worker (a retry is made due before the runs already waiting)
      row.put("nextAttempt", "now");
    }
    model.put("run", row);
    model.put("retryable", run.state().equals("failed"));
    // A run about to be attempted reloads itself, so that a retry is seen to end.
    model.put("underWay", run.state().equals("pending") || run.state().equals("running"));
    model.put("attempts", attempts(run.steps()));
    model.put("messages", messages(run.steps()));
    model.put(
        "event",
        events.payload(run.eventUuid()).map(p -> Show.json(json, json.readTree(p))).orElse(""));
    return new ModelAndView("run", model);
  }

  /** Every failed run the list's filters let through, queued; back to that list. */
  @PostMapping("/runs/retry")
  String retryFailed(@RequestParam Map<String, String> params, RedirectAttributes redirect) {
    Map<String, String> kept = new LinkedHashMap<>();
    FILTERS.forEach(name -> kept.put(name, params.getOrDefault(name, "")));
    kept.put("state", "failed");
    int retried = runs.retryFailed(Queries.runFilter(kept));
    redirect.addFlashAttribute(
        "notice",
        retried
            + " failed run(s) queued: each will be attempted again now. Emails already sent by an"
            + " earlier attempt are not sent again.");
    return "redirect:/runs" + Show.query(kept, "state", "failed");
  }

  @PostMapping("/runs/{id}/retry")
  String retry(@PathVariable String id, RedirectAttributes redirect) {
    redirect.addFlashAttribute(
        "notice",
        runs.retry(id)
            ? "Retry queued: the run will be attempted again now."
            : "Only a failed run can be retried.");
    return "redirect:/runs/" + Show.encode(id).replace("+", "%20");
  }

  static Map<String, Object> row(RunView run) {
    Map<String, Object> row = new HashMap<>();
    row.put("id", run.id());
    row.put("link", "/runs/" + Show.encode(run.id()));
    row.put("flow", run.flow());
    row.put("state", run.state());
    row.put("attempts", run.attempts());
    row.put("lastError", run.lastError());
    row.put("eventUuid", run.eventUuid());
    row.put("eventType", run.eventType());
    row.put("user", run.user());
    row.put("application", run.application());
    row.put("created", Show.time(run.createdAt()));
    row.put("updated", Show.time(run.updatedAt()));
    row.put("nextAttempt", Show.time(run.nextAttemptAt()));
    return row;
  }

  private List<Map<String, Object>> attempts(List<StepView> steps) {
    Map<Integer, List<Map<String, Object>>> byAttempt = new TreeMap<>();
    for (StepView step : steps) {
      Map<String, Object> row = new HashMap<>();
      row.put("index", step.index() + 1);
      row.put("kind", step.kind());
      row.put("status", step.status());
      row.put("error", step.error());
      row.put("started", Show.time(step.startedAt()));
      row.put("duration", step.durationMs());
      row.put("input", Show.json(json, step.input()));
      row.put("output", Show.json(json, step.output()));
      byAttempt.computeIfAbsent(step.attempt(), a -> new ArrayList<>()).add(row);
    }
    List<Map<String, Object>> attempts = new ArrayList<>();
    byAttempt.forEach((n, rows) -> attempts.add(Map.of("number", n, "steps", rows)));
    return attempts;
  }

  /** The newest recorded message of each email step, with whether it went out. */
  private static List<Map<String, Object>> messages(List<StepView> steps) {
    Map<Integer, StepView> newest = new TreeMap<>();
    for (StepView step : steps) {
      if (step.kind().equals("email") && step.input() != null && step.input().has("subject")) {
        newest.put(step.index(), step);
      }
    }
    List<Map<String, Object>> messages = new ArrayList<>();
    for (StepView step : newest.values()) {
      Map<String, Object> message = Show.message(step.input());
      message.put("sent", step.status().equals("done"));
      message.put("status", step.status().equals("done") ? "sent" : "not sent: " + step.error());
      message.put("attempt", step.attempt());
      messages.add(message);
    }
    return messages;
  }

  static List<Map<String, Object>> options(List<String> values, String selected) {
    return values.stream()
        .map(v -> Map.<String, Object>of("value", v, "selected", v.equals(selected)))
        .toList();
  }
}
