package io.hookflow.okta;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one System Log query hookflow builds itself: the first, from a start time. Every later page
 * is the {@code next} link Okta returns.
 */
final class SystemLogQuery {

  private static final Pattern LIMIT = Pattern.compile("([?&])limit=[^&#]*");

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

  /**
   * A stored query (Okta's {@code next} link) with the page size asked for now: Okta's links carry
   * the {@code limit} of the query they came from, so a changed setting would otherwise wait for
   * the next new query.
   */
  static String withLimit(String url, int limit) {
    Matcher current = LIMIT.matcher(url);
    if (current.find()) {
      return url.substring(0, current.start())
          + current.group(1)
          + "limit="
          + limit
          + url.substring(current.end());
    }
    return url + (url.contains("?") ? "&" : "?") + "limit=" + limit;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
