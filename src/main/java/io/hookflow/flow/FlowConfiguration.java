package io.hookflow.flow;

import io.hookflow.HookflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FlowConfiguration {

  private static final Logger log = LoggerFactory.getLogger(FlowConfiguration.class);

  @Bean
  Flows flows(HookflowProperties properties) {
    Flows flows = FlowLoader.load(properties.flows());
    if (flows.all().isEmpty()) {
      log.warn(
          "No flow files (*.yaml, *.yml) in {}: events are stored, and nothing runs for them",
          properties.flows().toAbsolutePath().normalize());
      return flows;
    }
    log.info(
        "Loaded {} flow(s) from {} for event types {}",
        flows.all().size(),
        properties.flows().toAbsolutePath().normalize(),
        flows.eventTypes());
    return flows;
  }
}
