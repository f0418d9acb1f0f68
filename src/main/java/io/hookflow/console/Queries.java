package io.hookflow.console;

import io.hookflow.run.RunFilter;
import io.hookflow.run.RunState;
import io.hookflow.web.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Reads the query parameters the console and the API share; times without a zone are UTC. */
final class Queries {

  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

  static final int DEFAULT_SIZE = 25;
  static final int MAX_SIZE = 200;

  private Queries() {}

  static RunFilter runFilter(Map<String, String> params) {
    return new RunFilter(
        text(params, "flow"),
        state(text(params, "state")),
        text(params, "user"),
        text(params, "application"),
        time(params, "from", false),
        time(params, "to", true));
  }

  static int page(Map<String, String> params) {
    return number(params, "page", 1, Integer.MAX_VALUE / MAX_SIZE, 1);
  }

  static int size(Map<String, String> params) {
    return number(params, "size", 1, MAX_SIZE, DEFAULT_SIZE);
  }

  /** The filters a page link keeps, and the page size if one was asked for. */
  static Map<String, String> withSize(Map<String, String> kept, Map<String, String> params) {
    if (text(params, "size") == null) {
      return kept;
    }
    Map<String, String> linked = new LinkedHashMap<>(kept);
    linked.put("size", String.valueOf(size(params)));
    return linked;
  }

  static String text(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      // PostgreSQL refuses a NUL in a text outright (a 500), SQLite would match it with anything.
      throw new ApiException(HttpStatus.BAD_REQUEST, name + " must not contain control characters");
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static RunState state(String code) {
    if (code == null) {
      return null;
    }
    try {
      return RunState.of(code);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "state must be pending, running, retrying, succeeded or failed, not " + code);
    }
  }

  /**
   * An instant ({@code 2026-11-28T10:00:00Z}), a date and time ({@code 2026-11-28T10:00}) or a
   * date; a date as {@code to} means the end of that day.
   */
  static Instant time(Map<String, String> params, String name, boolean endOfDay) {
    String value = text(params, name);
    if (value == null) {
      return null;
    }
    Instant instant;
    try {
      if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
        instant = OffsetDateTime.parse(value).toInstant();
      } else if (value.contains("T")) {
        instant = LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } else {
        LocalDate date = LocalDate.parse(value);
        instant = (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeException e) {
      instant = null;
    }
    // Years past 9999 parse, but would overflow the milliseconds the store compares.
    if (instant == null || instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          name + " must be a date (2026-11-28) or a time (2026-11-28T10:00, UTC), not " + value);
    }
    return instant;
  }

  private static int number(Map<String, String> params, String name, int min, int max, int or) {
    String value = text(params, name);
    if (value == null) {
      return or;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ApiException(
        HttpStatus.BAD_REQUEST, name + " must be a number from " + min + " to " + max);
  }
}
