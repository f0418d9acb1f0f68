package io.hookflow.console;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/** Every event received, with the runs it started or why it started none. */
@Controller
class EventsPage implements ConsolePages.Page {

  private final EventListing listing;

  EventsPage(EventListing listing) {
    this.listing = listing;
  }

  @GetMapping("/events")
  ModelAndView events(@RequestParam Map<String, String> params) {
    String type = Queries.text(params, "type");
    EventListing.Page page = listing.page(type, Queries.page(params), Queries.size(params));
    Map<String, String> kept = new LinkedHashMap<>();
    kept.put("type", type == null ? "" : type);
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Events");
    model.put("navEvents", true);
    model.put("type", kept.get("type"));
    model.put("events", page.events().stream().map(EventsPage::row).toList());
    model.put("total", page.total());
    model.put("page", page.page());
    model.put("pages", page.pages());
    Map<String, String> linked = Queries.withSize(kept, params);
    if (page.page() > 1) {
      model.put("previous", "/events" + Show.query(linked, "page", page.page() - 1));
    }
    if (page.page() < page.pages()) {
      model.put("next", "/events" + Show.query(linked, "page", page.page() + 1));
    }
    return new ModelAndView("events", model);
  }

  private static Map<String, Object> row(EventListing.Listed listed) {
    Map<String, Object> row = new HashMap<>();
    row.put("uuid", listed.event().uuid());
    row.put("eventType", listed.event().eventType());
    row.put("received", Show.time(listed.event().receivedAt()));
    row.put("source", listed.event().source());
    row.put("user", listed.event().user());
    row.put("application", listed.event().application());
    row.put(
        "runs",
        listed.runs().stream()
            .map(
                r ->
                    Map.of(
                        "link", "/runs/" + Show.encode(r.id()),
                        "flow", r.flow(),
                        "state", r.state()))
            .toList());
    row.put("whyNoFlow", listed.whyNoFlow());
    row.put("matched", !listed.runs().isEmpty());
    return row;
  }
}
