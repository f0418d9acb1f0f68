package io.hookflow.console;

import io.hookflow.event.EventHistory;
import io.hookflow.flow.Flow;
import io.hookflow.flow.Flows;
import io.hookflow.run.RunFilter;
import io.hookflow.run.RunHistory;
import io.hookflow.step.ComposeStep;
import io.hookflow.step.EmailStep;
import io.hookflow.step.GetStep;
import io.hookflow.step.Step;
import io.hookflow.step.Template;
import io.hookflow.web.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/** The flows in force, each with its recent runs and Try it. */
@Controller
class FlowPages implements ConsolePages.Page {

  private final Flows flows;
  private final RunHistory runs;
  private final EventHistory events;
  private final Tryout tryout;
  private final JsonMapper json;

  FlowPages(Flows flows, RunHistory runs, EventHistory events, Tryout tryout, JsonMapper json) {
    this.flows = flows;
    this.runs = runs;
    this.events = events;
    this.tryout = tryout;
    this.json = json;
  }

  @GetMapping("/flows")
  ModelAndView list() {
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Flows");
    model.put("navFlows", true);
    model.put("flows", flows.all().stream().map(this::describe).toList());
    return new ModelAndView("flows", model);
  }

  @GetMapping("/flows/{name}")
  ModelAndView detail(@PathVariable String name) {
    return page(tryout.flow(name), null, "");
  }

  @PostMapping("/flows/{name}/try")
  ModelAndView tryIt(
      @PathVariable String name,
      @RequestParam(required = false) String eventUuid,
      @RequestParam(required = false) String eventJson) {
    Flow flow = tryout.flow(name);
    if ((eventJson == null || eventJson.isBlank()) && (eventUuid == null || eventUuid.isBlank())) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "Pick a stored event or paste an Okta event to try the flow on.");
    }
    Tryout.Result result =
        eventJson != null && !eventJson.isBlank()
            ? tryout.pasted(name, eventJson)
            : tryout.stored(name, eventUuid == null ? "" : eventUuid);
    return page(flow, result, eventJson == null ? "" : eventJson);
  }

  private ModelAndView page(Flow flow, Tryout.Result result, String pasted) {
    Map<String, Object> model = new HashMap<>();
    model.put("title", flow.name());
    model.put("navFlows", true);
    model.put("flow", describe(flow));
    model.put(
        "runs",
        runs.page(RunFilter.ofFlow(flow.name()), 1, 10).runs().stream()
            .map(RunPages::row)
            .toList());
    model.put(
        "storedEvents",
        events.newest(flow.trigger().event(), 0, 20).stream()
            .map(
                e ->
                    Map.of(
                        "uuid",
                        e.uuid(),
                        "label",
                        Show.time(e.receivedAt())
                            + " · "
                            + (e.user() == null ? "?" : e.user())
                            + " · "
                            + (e.application() == null ? "no application" : e.application())))
            .toList());
    model.put("pasted", pasted);
    if (result != null) {
      model.put("result", tried(result));
    }
    return new ModelAndView("flow", model);
  }

  private Map<String, Object> tried(Tryout.Result result) {
    Map<String, Object> tried = new HashMap<>();
    tried.put("eventUuid", result.eventUuid());
    tried.put("eventType", result.eventType());
    tried.put("matches", result.matches());
    tried.put("whyNot", result.whyNot());
    tried.put("error", result.error());
    tried.put(
        "steps",
        result.steps().stream()
            .map(
                s ->
                    Map.of(
                        "index", s.index() + 1,
                        "kind", s.kind(),
                        "status", s.status(),
                        "error", s.error() == null ? "" : s.error(),
                        "output", Show.json(json, s.output())))
            .toList());
    tried.put(
        "emails", result.emails().stream().map(e -> Show.message(json.valueToTree(e))).toList());
    return tried;
  }

  private Map<String, Object> describe(Flow flow) {
    Map<String, Object> described = new HashMap<>();
    described.put("name", flow.name());
    described.put("link", "/flows/" + Show.encode(flow.name()).replace("+", "%20"));
    described.put("runsLink", "/runs?flow=" + Show.encode(flow.name()));
    described.put("file", flow.file().toString());
    described.put("event", flow.trigger().event());
    described.put(
        "applications",
        flow.trigger().applications().isEmpty()
            ? "every application"
            : String.join(", ", flow.trigger().applications()));
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < flow.steps().size(); i++) {
      Step step = flow.steps().get(i);
      steps.add(Map.of("index", i + 1, "kind", step.kind(), "summary", summary(step)));
    }
    described.put("steps", steps);
    return described;
  }

  private static String summary(Step step) {
    if (step instanceof GetStep get) {
      return get.fields().entrySet().stream()
          .map(f -> f.getKey() + " ← " + f.getValue())
          .collect(Collectors.joining(", "));
    }
    if (step instanceof ComposeStep compose) {
      return compose.name() + " = " + compose.text().source();
    }
    EmailStep email = (EmailStep) step;
    return "to "
        + email.to().stream().map(Template::source).collect(Collectors.joining(", "))
        + ": "
        + email.subject().source();
  }
}
