package io.hookflow.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How the console writes values for people: times in UTC, JSON indented. */
final class Show {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private Show() {}

  static String time(Instant instant) {
    return instant == null ? "" : TIME.format(instant);
  }

  static String json(JsonMapper json, Object value) {
    return value == null ? "" : json.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }

  /** A path with its query, for links that keep the filters. */
  static String query(Map<String, String> params, String key, Object value) {
    Map<String, String> next = new LinkedHashMap<>(params);
    next.put(key, String.valueOf(value));
    List<String> parts = new ArrayList<>();
    next.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            parts.add(encode(k) + "=" + encode(v));
          }
        });
    return "?" + String.join("&", parts);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** The message an email step records as sent, as headers and body for a page. */
  static Map<String, Object> message(JsonNode input) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("messageId", input.path("messageId").asString(""));
    message.put("from", input.path("from").asString(""));
    message.put("to", join(input.path("to")));
    message.put("cc", join(input.path("cc")));
    message.put("bcc", join(input.path("bcc")));
    message.put("subject", input.path("subject").asString(""));
    message.put("contentType", input.path("contentType").asString(""));
    message.put("html", "text/html".equals(input.path("contentType").asString("")));
    message.put("body", input.path("body").asString(""));
    return message;
  }

  private static String join(JsonNode addresses) {
    List<String> all = new ArrayList<>();
    addresses.forEach(a -> all.add(a.asString()));
    return String.join(", ", all);
  }
}
