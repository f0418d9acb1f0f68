package io.hookflow.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookflow.event.InvalidEventException;
import io.hookflow.event.OktaEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

class DeliveriesTest {

  private static final Deliveries DELIVERIES = new Deliveries(JsonMapper.builder().build(), 10_000);

  private static final String FIRST =
      "{ \"uuid\" : \"ev-1\",\n  \"eventType\":\"application.user_membership.remove\","
          + "\"target\":[{\"type\":\"User\",\"displayName\":\"Zoë Ångström 🚀\"}] }";
  private static final String SECOND =
      "{\"uuid\":\"ev-2\",\"eventType\":\"user.session.start\",\"nested\":{\"a\":[1,{\"b\":2}]}}";

  @Test
  void keepsEachEventsTextExactlyAsItArrived() {
    String body =
        "{\"eventType\":\"com.okta.event_hook\",\"source\":{\"skipped\":[1,2,{\"x\":3}]},"
            + "\"data\" : { \"other\": [], \"events\" : [ "
            + FIRST
            + " ,\n"
            + SECOND
            + " ] }, \"after\": true }";

    List<OktaEvent> events = read(body);

    assertThat(events).extracting(OktaEvent::uuid).containsExactly("ev-1", "ev-2");
    assertThat(events).extracting(OktaEvent::text).containsExactly(FIRST, SECOND);
    assertThat(events.get(0).subjectUser().orElseThrow().path("displayName").asString())
        .isEqualTo("Zoë Ångström 🚀");
  }

  @Test
  void holdsAtMostTheMostEventsADeliveryMay() {
    Deliveries two = new Deliveries(JsonMapper.builder().build(), 2);

    assertThat(two.events(bytes("{\"data\":{\"events\":[" + FIRST + "," + SECOND + "]}}")))
        .hasSize(2);
    assertThatThrownBy(
            () ->
                two.events(
                    bytes("{\"data\":{\"events\":[" + FIRST + "," + SECOND + "," + FIRST + "]}}")))
        .isInstanceOf(Deliveries.TooManyEvents.class)
        .hasMessageContaining("at most 2 events");
  }

  @Test
  void anEmptyDeliveryHasNoEvents() {
    assertThat(read("{\"data\":{\"events\":[]}}")).isEmpty();
  }

  @Test
  void theLastDataCountsAsInATree() {
    assertThat(
            read("{\"data\":{\"events\":[" + FIRST + "]},\"data\":{\"events\":[" + SECOND + "]}}"))
        .extracting(OktaEvent::uuid)
        .containsExactly("ev-2");
    assertThatThrownBy(() -> read("{\"data\":{\"events\":[" + FIRST + "]},\"data\":1}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("data.events");
  }

  @Test
  void refusesWhatIsNotADelivery() {
    assertThatThrownBy(() -> read("[1]")).isInstanceOf(InvalidEventException.class);
    assertThatThrownBy(() -> read("{\"data\":{\"events\":{}}}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("data.events");
    assertThatThrownBy(() -> read("{\"data\":{\"events\":[1]}}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("data.events[0]");
    assertThatThrownBy(() -> read("{\"data\":{\"events\":[]}} {}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("more after");
  }

  @Test
  void malformedJsonIsAJsonError() {
    assertThatThrownBy(() -> read("{\"data\":{\"events\":[" + FIRST))
        .isInstanceOf(JacksonException.class);
    assertThatThrownBy(() -> read("{\"data\":{\"events\":[{\"uuid\":}]}}"))
        .isInstanceOf(JacksonException.class);
  }

  private static List<OktaEvent> read(String body) {
    return DELIVERIES.events(bytes(body));
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
