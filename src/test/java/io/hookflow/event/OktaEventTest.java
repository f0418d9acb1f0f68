package io.hookflow.event;

import static org.assertj.core.api.Assertions.assertThat;

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
}
