package io.hookflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void readsOktasShapeAsInstantParseDoes() {
    Instant start = Instant.parse("1999-12-31T23:59:58.999Z");
    for (long step = 0; step < 2_000; step++) {
      Instant instant = start.plus(step * 7_919_113L, ChronoUnit.MILLIS);
      String text = instant.toString();
      if (text.length() == 24) {
        assertThat(Timestamps.parseUtcMillis(text)).as(text).isEqualTo(Instant.parse(text));
      }
    }
    assertThat(Timestamps.parseUtcMillis("2024-02-29T00:00:00.000Z"))
        .isEqualTo(Instant.parse("2024-02-29T00:00:00.000Z"));
  }

  @Test
  void leavesEveryOtherShapeToTheFullParser() {
    assertThat(Timestamps.parseUtcMillis("2026-11-02T09:15:02Z")).isNull();
    assertThat(Timestamps.parseUtcMillis("2026-11-02T09:15:02.512+01:00")).isNull();
    assertThat(Timestamps.parseUtcMillis("2026-11-02T09:15:02.5123Z")).isNull();
    assertThat(Timestamps.parseUtcMillis("2026-11-02 09:15:02.512Z")).isNull();
    assertThat(Timestamps.parseUtcMillis("2026-1x-02T09:15:02.512Z")).isNull();
    assertThat(Timestamps.parseUtcMillis("2026-02-30T09:15:02.512Z")).isNull();
    assertThat(Timestamps.parseUtcMillis("2026-11-02T24:15:02.512Z")).isNull();
  }

  @Test
  void eventsKeepTheirPublishedTimeEitherWay() {
    var json = tools.jackson.databind.json.JsonMapper.builder().build();
    OktaEvent common =
        OktaEvent.of(
            json.readTree(
                "{\"uuid\":\"a\",\"eventType\":\"t\",\"published\":\"2026-11-02T09:15:02.512Z\"}"),
            "test");
    OktaEvent offset =
        OktaEvent.of(
            json.readTree(
                "{\"uuid\":\"a\",\"eventType\":\"t\",\"published\":\"2026-11-02T10:15:02Z\"}"),
            "test");
    OktaEvent bad =
        OktaEvent.of(
            json.readTree("{\"uuid\":\"a\",\"eventType\":\"t\",\"published\":\"yesterday\"}"),
            "test");

    assertThat(common.published()).contains(Instant.parse("2026-11-02T09:15:02.512Z"));
    assertThat(offset.published()).contains(Instant.parse("2026-11-02T10:15:02Z"));
    assertThat(bad.published()).isEmpty();
  }
}
