package io.hookflow.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OktaEventTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static OktaEvent event(String targets) {
    return OktaEvent.of(
        JSON.readTree(
            """
            {"uuid": "e-1", "eventType": "application.user_membership.remove", "target": %s}
            """
                .formatted(targets)),
        "event");
  }

  private static String id(JsonNode target) {
    return target.path("id").asString();
  }

  @Test
  void findsTheFirstTargetOfAType() {
    OktaEvent event =
        event(
            """
            [{"id": "0ua1", "type": "AppUser"}, {"id": "0oa1", "type": "AppInstance"},
             {"id": "0oa2", "type": "AppInstance"}, {"id": "00u1"}]
            """);

    assertThat(event.target("AppInstance")).map(OktaEventTest::id).contains("0oa1");
    assertThat(event.targets("AppInstance"))
        .extracting(OktaEventTest::id)
        .containsExactly("0oa1", "0oa2");
    assertThat(event.target("Group")).isEmpty();
    assertThat(event("[]").target("User")).isEmpty();
    assertThat(
            OktaEvent.of(JSON.readTree("{\"uuid\": \"e-2\", \"eventType\": \"t\"}"), "event")
                .target("User"))
        .isEmpty();
  }

  @Test
  void theSubjectIsTheUserTargetElseTheAppUser() {
    assertThat(
            event(
                    "[{\"id\": \"0ua1\", \"type\": \"AppUser\"}, {\"id\": \"00u1\", \"type\": \"User\"}]")
                .subjectUser())
        .map(OktaEventTest::id)
        .contains("00u1");
    assertThat(event("[{\"id\": \"0ua1\", \"type\": \"AppUser\"}]").subjectUser())
        .map(OktaEventTest::id)
        .contains("0ua1");
  }

  @Test
  void refusesWhatTheStoreCannotKeyOrFile() {
    assertThatThrownBy(
            () ->
                OktaEvent.of(
                    JSON.readTree("{\"uuid\": \"e-1\", \"eventType\": \"t\\u0000x\"}"),
                    "data.events[0]"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("data.events[0].eventType must not contain control characters");
    assertThatThrownBy(
            () ->
                OktaEvent.of(
                    JSON.readTree("{\"uuid\": \"e-\\n1\", \"eventType\": \"t\"}"), "event"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("event.uuid must not contain control characters");
    String longType = "a".repeat(256);
    assertThatThrownBy(
            () ->
                OktaEvent.of(
                    JSON.readTree("{\"uuid\": \"e-1\", \"eventType\": \"" + longType + "\"}"),
                    "event"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("event.eventType is longer than 255 characters");
    assertThat(
            OktaEvent.of(
                    JSON.readTree(
                        "{\"uuid\": \"e-1\", \"eventType\": \"" + "a".repeat(255) + "\"}"),
                    "event")
                .eventType())
        .hasSize(255);
  }

  @Test
  void aPublishedTimeBeyondWhatMillisecondsHoldIsTakenAsNotGiven() {
    OktaEvent event =
        OktaEvent.of(
            JSON.readTree(
                "{\"uuid\": \"e-1\", \"eventType\": \"t\","
                    + " \"published\": \"+300000000-01-01T00:00:00Z\"}"),
            "event");

    assertThat(event.published()).isEmpty();
  }
}
