package io.hookflow.console;

import io.hookflow.event.EventHistory;
import io.hookflow.event.EventStore;
import io.hookflow.run.RunFilter;
import io.hookflow.run.RunHistory;
import io.hookflow.run.RunPage;
import io.hookflow.run.RunState;
import io.hookflow.run.RunView;
import io.hookflow.web.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The console's data as JSON, for scripts (HTTP Basic) and the command line. */
@RestController
@RequestMapping("/api")
class ApiController {

  private final RunHistory runs;
  private final EventListing listing;
  private final EventHistory eventHistory;
  private final EventStore events;
  private final Tryout tryout;
  private final JsonMapper json;

  ApiController(
      RunHistory runs,
      EventListing listing,
      EventHistory eventHistory,
      EventStore events,
      Tryout tryout,
      JsonMapper json) {
    this.runs = runs;
    this.listing = listing;
    this.eventHistory = eventHistory;
    this.events = events;
    this.tryout = tryout;
    this.json = json;
  }

  @GetMapping("/runs")
  Map<String, Object> runs(@RequestParam Map<String, String> params) {
    RunPage page = runs.page(Queries.runFilter(params), Queries.page(params), Queries.size(params));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("runs", page.runs());
    body.put("page", page.page());
    body.put("size", page.size());
    body.put("total", page.total());
    body.put("pages", page.pages());
    return body;
  }

  @GetMapping("/runs/{id}")
  ObjectNode run(@PathVariable String id) {
    RunView run = found(id);
    ObjectNode body = json.valueToTree(run);
    events.payload(run.eventUuid()).ifPresent(p -> body.set("event", json.readTree(p)));
    return body;
  }

  @PostMapping("/runs/{id}/retry")
  ResponseEntity<RunView> retry(@PathVariable String id) {
    RunView run = found(id);
    if (!runs.retry(id)) {
      throw new ApiException(
          HttpStatus.CONFLICT, "only a failed run can be retried; this one is " + run.state());
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(found(id));
  }

  /** Every failed run the filters let through (as {@code GET /api/runs} takes them), queued. */
  @PostMapping("/runs/retry")
  ResponseEntity<Map<String, Object>> retryFailed(@RequestParam Map<String, String> params) {
    RunFilter filter = Queries.runFilter(params);
    if (filter.state() != null && filter.state() != RunState.FAILED) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "only failed runs are retried; leave out state or say failed");
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(Map.of("retried", runs.retryFailed(filter)));
  }

  @GetMapping("/events")
  Map<String, Object> events(@RequestParam Map<String, String> params) {
    EventListing.Page page =
        listing.page(Queries.text(params, "type"), Queries.page(params), Queries.size(params));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", page.events().stream().map(this::event).toList());
    body.put("page", page.page());
    body.put("size", page.size());
    body.put("total", page.total());
    body.put("pages", page.pages());
    return body;
  }

  @GetMapping("/events/{uuid}")
  ObjectNode event(@PathVariable String uuid) {
    ObjectNode body =
        eventHistory
            .find(uuid)
            .map(listing::listed)
            .map(this::event)
            .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "no stored event " + uuid));
    events.payload(uuid).ifPresent(p -> body.set("payload", json.readTree(p)));
    return body;
  }

  @PostMapping("/flows/{name}/try")
  Tryout.Result tryFlow(@PathVariable String name, @RequestBody(required = false) String body) {
    return tryout.pasted(name, body);
  }

  private ObjectNode event(EventListing.Listed listed) {
    ObjectNode node = json.valueToTree(listed.event());
    node.set("runs", json.valueToTree(listed.runs()));
    node.set("whyNoFlow", json.valueToTree(listed.whyNoFlow()));
    return node;
  }

  private RunView found(String id) {
    return runs.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "no run " + id));
  }
}
