package io.hookflow.okta;

import io.hookflow.flow.Flow;
import io.hookflow.flow.FlowDefinitionException;
import io.hookflow.flow.Flows;
import io.hookflow.step.OktaUserStep;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** A flow that reads users from Okta cannot run without a connection: say so at start-up. */
@Component
class OktaUserStepCheck {

  OktaUserStepCheck(Flows flows, ObjectProvider<OktaApi> okta) {
    if (okta.getIfAvailable() != null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Flow flow : flows.all()) {
      for (int step : flow.stepNumbers(OktaUserStep.class)) {
        problems.add(
            flow.file()
                + ": step "
                + step
                + " (okta-user) needs an Okta connection: set hookflow.okta.org-url and"
                + " hookflow.okta.api-token");
      }
    }
    if (!problems.isEmpty()) {
      throw new FlowDefinitionException(problems);
    }
  }
}
