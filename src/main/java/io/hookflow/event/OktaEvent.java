package io.hookflow.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One Okta System Log event (a LogEvent), as delivered by an event hook or read from the System
 * Log. The whole JSON is kept: flows may read any field of it.
 *
 * @param uuid Okta's unique id of the event; the key of de-duplication
 * @param eventType e.g. {@code application.user_membership.remove}
 * @param published when Okta recorded it, if it said
 * @param json the event itself
 * @param text the event's JSON text exactly as it arrived, or null when it came as a tree only
 */
public record OktaEvent(
    String uuid, String eventType, Optional<Instant> published, JsonNode json, String text) {

  static final int MAX_UUID_LENGTH = 128;

  /** The longest event type the store keeps (its column's width on PostgreSQL). */
  static final int MAX_EVENT_TYPE_LENGTH = 255;

  /**
   * Reads one event, or explains what is wrong with it.
   *
   * @param where how the caller names this event in an error, e.g. {@code data.events[2]}
   */
  public static OktaEvent of(JsonNode json, String where) {
    return of(json, null, where);
  }

  /**
   * Reads one event that arrived as {@code text}, keeping the text to store as received.
   *
   * @param text the JSON text {@code json} was read from, or null
   * @param where how the caller names this event in an error, e.g. {@code data.events[2]}
   */
  public static OktaEvent of(JsonNode json, String text, String where) {
    if (json == null || !json.isObject()) {
      throw new InvalidEventException(where + " must be a JSON object");
    }
    String uuid = requiredString(json, "uuid", where);
    if (uuid.length() > MAX_UUID_LENGTH) {
      throw new InvalidEventException(
          where + ".uuid is longer than " + MAX_UUID_LENGTH + " characters");
    }
    String eventType = requiredString(json, "eventType", where);
    if (eventType.length() > MAX_EVENT_TYPE_LENGTH) {
      throw new InvalidEventException(
          where + ".eventType is longer than " + MAX_EVENT_TYPE_LENGTH + " characters");
    }
    return new OktaEvent(uuid, eventType, published(json), json, text);
  }

  /** The first target of the given type ({@code User}, {@code AppInstance}, ...), if any. */
  public Optional<JsonNode> target(String type) {
    for (JsonNode target : json.path("target")) {
      if (isOfType(target, type)) {
        return Optional.of(target);
      }
    }
    return Optional.empty();
  }

  /** The person the event is about: its User target, else its AppUser target. */
  public Optional<JsonNode> subjectUser() {
    return target("User").or(() -> target("AppUser"));
  }

  /** Every target of the given type. */
  public List<JsonNode> targets(String type) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode target : json.path("target")) {
      if (isOfType(target, type)) {
        found.add(target);
      }
    }
    return found;
  }

  private static boolean isOfType(JsonNode target, String type) {
    return type.equals(target.path("type").asString(null));
  }

  private static String requiredString(JsonNode json, String field, String where) {
    JsonNode value = json.get(field);
    if (value == null || !value.isString() || value.stringValue().isBlank()) {
      throw new InvalidEventException(where + "." + field + " must be a non-empty string");
    }
    String text = value.stringValue();
    if (hasControl(text)) {
      // Okta's uuids and event types are plain text; a NUL would not even fit PostgreSQL's text.
      throw new InvalidEventException(where + "." + field + " must not contain control characters");
    }
    return text;
  }

  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * When the event was published, if it says so in a form that can be read and stored (as epoch
   * milliseconds: years beyond ±292 million cannot be).
   */
  private static Optional<Instant> published(JsonNode json) {
    JsonNode value = json.get("published");
    if (value == null || !value.isString()) {
      return Optional.empty();
    }
    String text = value.stringValue();
    Instant common = Timestamps.parseUtcMillis(text);
    if (common != null) {
      return Optional.of(common);
    }
    try {
      Instant parsed = Instant.parse(text);
      parsed.toEpochMilli();
      return Optional.of(parsed);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
