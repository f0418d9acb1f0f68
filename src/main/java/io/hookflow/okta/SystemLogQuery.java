package io.hookflow.okta;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one System Log query hookflow builds itself: the first, from a start time. Every later page
 * is the {@code next} link Okta returns.
 */
final class SystemLogQuery {

  private SystemLogQuery() {}

  /** {@code eventType eq "a" or eventType eq "b"}, sorted so that file order does not matter. */
  static String filter(Collection<String> eventTypes) {
    return eventTypes.stream()
        .sorted()
        .map(type -> "eventType eq \"" + type.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(" or "));
  }

  /** Okta's polling request: ascending from {@code since}, no {@code until}. */
  static String first(Instant since, String filter, int limit) {
    return "/api/v1/logs?since="
        + encode(since.toString())
        + "&sortOrder=ASCENDING&limit="
        + limit
        + "&filter="
        + encode(filter);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
