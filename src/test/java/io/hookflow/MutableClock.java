package io.hookflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** A clock a test moves by hand; start an instance with {@link Source} to make it hookflow's. */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

  public void advance(Duration duration) {
    now.updateAndGet(instant -> instant.plus(duration));
  }

  @Override
  public Instant instant() {
    return now.get();
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
   * Replaces hookflow's clock with a shared {@link MutableClock} when given as an extra source. Not
   * a {@code @Configuration}: component scanning would then apply it to every test instance.
   */
  public static class Source {

    public static final MutableClock CLOCK = new MutableClock();

    @Bean
    @Primary
    Clock mutableClock() {
      return CLOCK;
    }
  }
}
