package io.hookflow.okta;

import io.hookflow.HookflowProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The poller's state in the health details ({@code /actuator/health/okta}). Always up, also while
 * Okta is away: the hook keeps taking events and polling catches up later, so this must not take
 * hookflow out of a load balancer. Present without Okta too, so the health group always resolves.
 */
@Component("oktaPollHealthIndicator")
class OktaPollHealth implements HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(OktaPollHealth.class);

  private final ObjectProvider<PollStatus> status;

  OktaPollHealth(ObjectProvider<PollStatus> status, HookflowProperties properties) {
    this.status = status;
    if (properties.okta().poll().enabled() && !properties.okta().configured()) {
      log.warn(
          "hookflow.okta.poll.enabled is true but hookflow.okta.org-url is not set: not polling");
    }
  }

  @Override
  public Health health() {
    PollStatus poll = status.getIfAvailable();
    return poll == null
        ? Health.up().withDetail("polling", "off").build()
        : Health.up().withDetail("polling", "on").withDetails(poll.details()).build();
  }
}
