package io.hookflow.hook;

import io.hookflow.HookflowProperties;
import io.hookflow.event.EventIntake;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Puts the event hook in front of every other filter of the web server. */
@Configuration(proxyBeanMethods = false)
class HookConfiguration {

  @Bean
  FilterRegistrationBean<OktaHookFilter> oktaHook(
      HookSecret secret,
      EventIntake intake,
      JsonMapper json,
      HookflowProperties properties,
      MeterRegistry meters) {
    FilterRegistrationBean<OktaHookFilter> registration =
        new FilterRegistrationBean<>(new OktaHookFilter(secret, intake, json, properties, meters));
    registration.addUrlPatterns(OktaHookFilter.PATH);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setName("oktaHook");
    return registration;
  }
}
