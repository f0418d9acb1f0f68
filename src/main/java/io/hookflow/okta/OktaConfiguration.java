package io.hookflow.okta;

import io.hookflow.HookflowProperties;
import io.hookflow.event.EventIntake;
import io.hookflow.flow.Flows;
import io.hookflow.hook.HookSecret;
import io.hookflow.lease.Leases;
import io.hookflow.store.StoreLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Okta connection and what needs it; none of it exists without {@code hookflow.okta.org-url}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${hookflow.okta.org-url:}'.isBlank()")
class OktaConfiguration {

  @Bean
  OktaApi oktaApi(HookflowProperties properties) {
    return OktaApi.connect(properties.okta());
  }

  @Bean
  OktaApps oktaApps(OktaApi okta, Flows flows) {
    OktaApps apps = new OktaApps(okta);
    apps.check(flows);
    return apps;
  }

  @Bean
  HookSetup hookSetup(OktaApi okta, OktaApps apps, Flows flows, HookSecret secret) {
    return new HookSetup(okta, apps, flows, secret);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnExpression(
      "!'${hookflow.okta.org-url:}'.isBlank() and '${hookflow.okta.poll.enabled:false}' == 'true'")
  static class Polling {

    @Bean
    PollStatus pollStatus(Clock clock, MeterRegistry meters) {
      PollStatus status = new PollStatus(clock);
      TimeGauge.builder(
              "hookflow.okta.poll.lag",
              status,
              TimeUnit.SECONDS,
              s -> s.lag().map(Duration::toMillis).map(ms -> ms / 1000.0).orElse(Double.NaN))
          .description("now minus the newest System Log event seen")
          .register(meters);
      return status;
    }

    @Bean
    SystemLogPoller systemLogPoller(
        OktaApi okta,
        CursorStore cursors,
        EventIntake intake,
        Flows flows,
        JsonMapper json,
        Clock clock,
        HookflowProperties properties,
        PollStatus status,
        Leases leases,
        StoreLock lock) {
      return new SystemLogPoller(
          okta,
          cursors,
          intake,
          flows,
          json,
          clock,
          properties.okta().poll(),
          status,
          // One per process: two instances on one host must not both take the lease for their
          // own. After a crash, polling resumes at once on a database locked for this process;
          // on a shared one, once the old lease runs out.
          leases.owner(),
          lock.exclusive());
    }
  }
}
