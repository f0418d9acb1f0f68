package io.hookflow;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one source of time; tests replace it with a clock they move. */
@Configuration(proxyBeanMethods = false)
class Clocks {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
