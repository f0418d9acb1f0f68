package io.hookflow.console;

import io.hookflow.run.RunFilter;
import io.hookflow.run.RunState;
import io.hookflow.web.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Reads the query parameters the console and the API share; times without a zone are UTC. */
final class Queries {

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

  static String text(Map<String, String> params, String name) {
    String value = params.get(name);
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
    try {
      if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(value).toInstant();
      }
      if (value.contains("T")) {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      }
      LocalDate date = LocalDate.parse(value);
      return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          name + " must be a date (2026-11-28) or a time (2026-11-28T10:00, UTC), not " + value);
    }
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
