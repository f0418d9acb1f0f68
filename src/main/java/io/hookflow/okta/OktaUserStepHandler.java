package io.hookflow.okta;

import io.hookflow.step.OktaUserStep;
import io.hookflow.step.RunContext;
import io.hookflow.step.StepHandler;
import io.hookflow.step.StepResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

@Component
class OktaUserStepHandler implements StepHandler<OktaUserStep> {

  private final ObjectProvider<OktaApi> okta;
  private final Clock clock;

  OktaUserStepHandler(ObjectProvider<OktaApi> okta, Clock clock) {
    this.okta = okta;
    this.clock = clock;
  }

  @Override
  public Class<OktaUserStep> type() {
    return OktaUserStep.class;
  }

  @Override
  public StepResult run(OktaUserStep step, RunContext context) {
    String id = step.id().render(context.variables()).strip();
    Map<String, Object> input = Map.of("id", id);
    if (id.isEmpty()) {
      return new StepResult.Failed(
          input, "no user id: '" + step.id().source() + "' is empty for this event");
    }
    if (id.chars().anyMatch(Character::isISOControl)) {
      // Okta's ids and logins have none. Refused, not repaired, and not repeated in the error: the
      // error goes to the log, where a line break would start a line of the event's choosing (and
      // Okta's answer would repeat the id).
      return new StepResult.Failed(
          input, "the user id from '" + step.id().source() + "' contains a control character");
    }
    OktaApi api = okta.getIfAvailable();
    if (api == null) {
      return new StepResult.Failed(input, OktaApi.NOT_CONNECTED);
    }
    try {
      OktaApi.Response user = api.get("/api/v1/users/" + api.segment(id));
      return new StepResult.Done(input, Map.of(step.name(), user.object()));
    } catch (OktaException e) {
      if (e.status() == 404) {
        return new StepResult.Failed(input, "Okta has no user '" + id + "': " + e.getMessage());
      }
      if (e.transientFailure()) {
        return new StepResult.RetryLater(input, e.getMessage(), notBefore(e));
      }
      if (e.status() == 401 || e.status() == 403) {
        // The connection's credentials (a token expired or revoked, a scope missing), not this
        // run's: every run is refused alike until they are fixed, and passes then. Retried, as a
        // refused SMTP login is, rather than failing every run meanwhile.
        return new StepResult.RetryLater(input, e.getMessage(), Optional.empty());
      }
      return new StepResult.Failed(input, e.getMessage());
    }
  }

  /**
   * When a rate-limited lookup may be tried again: after Okta's reset counted on Okta's clock where
   * it said both times (as the poller waits), so that a local clock running ahead of Okta's does
   * not bring the retry before the reset, to spend an attempt on another 429.
   */
  private Optional<Instant> notBefore(OktaException e) {
    Duration least = OktaException.LEAST_RATE_LIMIT_WAIT;
    return e.untilReset(clock)
        .map(wait -> clock.instant().plus(wait.compareTo(least) < 0 ? least : wait));
  }
}
