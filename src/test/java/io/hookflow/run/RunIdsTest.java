package io.hookflow.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunIdsTest {

  @Test
  void areVersion7UuidsCarryingTheirTime() {
    long millis = Instant.parse("2026-11-28T19:29:01.750Z").toEpochMilli();

    UUID id = UUID.fromString(RunIds.next(millis));

    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
  }

  @Test
  void sortByCreationAndDoNotRepeat() {
    long millis = Instant.parse("2026-11-28T19:29:01.750Z").toEpochMilli();
    Set<String> seen = new HashSet<>();
    String previous = RunIds.next(millis - 1);
    for (int i = 0; i < 10_000; i++) {
      String id = RunIds.next(millis + i);
      assertThat(id).isGreaterThan(previous);
      assertThat(seen.add(id)).isTrue();
      seen.add(RunIds.next(millis + i));
      previous = id;
    }
    assertThat(seen).hasSize(20_000);
  }
}
