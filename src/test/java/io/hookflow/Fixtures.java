package io.hookflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Okta-shaped events and deliveries built from the fixtures under {@code src/test/resources}, with
 * the values a test cares about changed.
 */
public final class Fixtures {

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private Fixtures() {}

  public static String resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The flow fixtures named, copied into a fresh folder. */
  public static Path flows(Path folder, String... names) {
    try {
      Files.createDirectories(folder);
      for (String name : names) {
        Files.writeString(folder.resolve(name), resource("flows/" + name));
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An {@code application.user_membership.remove} event with a fresh uuid. */
  public static ObjectNode unassignment(String appId, String appLabel) {
    ObjectNode event = (ObjectNode) JSON.readTree(resource("events/unassignment.json"));
    event.put("uuid", UUID.randomUUID().toString());
    ObjectNode app = (ObjectNode) event.get("target").get(1);
    app.put("id", appId);
    app.put("alternateId", appLabel);
    app.put("displayName", appLabel);
    return event;
  }

  public static ObjectNode salesforceUnassignment() {
    return unassignment("0oaTestSalesforce01", "Salesforce.com");
  }

  /** Sets the display name of the event's User target (and its AppUser). */
  public static ObjectNode withUserName(ObjectNode event, String displayName) {
    for (var target : event.get("target")) {
      if (!"AppInstance".equals(target.get("type").asString())) {
        ((ObjectNode) target).put("displayName", displayName);
      }
    }
    return event;
  }

  public static ObjectNode withUserEmail(ObjectNode event, String email) {
    for (var target : event.get("target")) {
      if ("User".equals(target.get("type").asString())) {
        ((ObjectNode) target).put("alternateId", email);
      }
    }
    return event;
  }

  /** An event hook delivery of the given events, shaped as Okta sends it. */
  public static String delivery(ObjectNode... events) {
    return delivery(List.of(events));
  }

  public static String delivery(List<ObjectNode> events) {
    ObjectNode delivery = (ObjectNode) JSON.readTree(resource("events/delivery-envelope.json"));
    delivery.put("eventId", UUID.randomUUID().toString());
    ArrayNode array = delivery.putObject("data").putArray("events");
    events.forEach(array::add);
    return JSON.writeValueAsString(delivery);
  }

  public static String uuid(ObjectNode event) {
    return event.get("uuid").asString();
  }
}
