package io.hookflow.okta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 8288 {@code Link} headers, as Okta sends them for paging: one header per link, or several
 * links in one header separated by commas; header names in any case.
 */
final class Links {

  private static final Pattern LINK = Pattern.compile("<([^>]*)>([^,<]*)");
  private static final Pattern REL =
      Pattern.compile("(?i);\\s*rel\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");

  private Links() {}

  /** The links of a response by relation ({@code next}, {@code self}). */
  static Map<String, String> parse(Map<String, List<String>> headers) {
    Map<String, String> links = new LinkedHashMap<>();
    if (headers == null) {
      return links;
    }
    headers.forEach(
        (name, values) -> {
          if (name != null && name.equalsIgnoreCase("link") && values != null) {
            values.forEach(value -> parse(value, links));
          }
        });
    return links;
  }

  private static void parse(String value, Map<String, String> links) {
    Matcher link = LINK.matcher(value);
    while (link.find()) {
      Matcher rel = REL.matcher(link.group(2));
      if (rel.find()) {
        String rels = rel.group(1) != null ? rel.group(1) : rel.group(2);
        for (String name : rels.trim().split("\\s+")) {
          links.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), link.group(1).trim());
        }
      }
    }
  }
}
