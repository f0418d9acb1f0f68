package io.hookflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** A clock that stands still until a test moves it: an hour of backoff passes in no time. */
public final class MutableClock extends Clock {

  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /**
   * Gives a {@link TestInstance} this clock: pass the class to {@code TestInstance.start}. Not a
   * {@code @Configuration}, so that component scanning of {@code io.hookflow} never picks it up.
   */
  public static class Installed {

    public static final MutableClock CLOCK =
        new MutableClock(Instant.parse("2026-10-14T14:00:00Z"));

    @Bean
    @Primary
    Clock testClock() {
      return CLOCK;
    }
  }
}
