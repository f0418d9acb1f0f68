package io.hookflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.event.OktaEvent;
import io.hookflow.step.ComposeStep;
import io.hookflow.step.Templates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowsTest {

  @Test
  void matchesByEventTypeAndApplicationInTheOrderFlowsWereRead() {
    List<Flow> flows = new ArrayList<>();
    flows.add(flow("by label", "application.user_membership.remove", "salesforce.COM"));
    flows.add(flow("every app", "application.user_membership.remove"));
    for (int i = 0; i < 100; i++) {
      flows.add(flow("other app " + i, "application.user_membership.remove", "0oaOther" + i));
    }
    flows.add(flow("by id", "application.user_membership.remove", "0oaTestSalesforce01"));
    flows.add(flow("other type", "user.lifecycle.deactivate"));
    Flows index = new Flows(flows);

    List<Flow> matched = index.match(event(Fixtures.salesforceUnassignment()));

    assertThat(matched).extracting(Flow::name).containsExactly("by label", "every app", "by id");
    assertThat(index.match(event(Fixtures.unassignment("0oaOther7", "Seven"))))
        .extracting(Flow::name)
        .containsExactly("every app", "other app 7");
    assertThat(index.match(event(Fixtures.unassignment("0oaNobody", "Nobody"))))
        .extracting(Flow::name)
        .containsExactly("every app");
  }

  @Test
  void aFlowNamingTheAppByLabelAndIdRunsOnce() {
    Flows index =
        new Flows(
            List.of(
                flow(
                    "both",
                    "application.user_membership.remove",
                    "Salesforce.com",
                    "0oaTestSalesforce01")));

    assertThat(index.match(event(Fixtures.salesforceUnassignment()))).hasSize(1);
  }

  private static OktaEvent event(tools.jackson.databind.node.ObjectNode json) {
    return OktaEvent.of(json, "test");
  }

  private static Flow flow(String name, String eventType, String... apps) {
    return new Flow(
        name,
        Path.of(name + ".yaml"),
        Trigger.of(eventType, List.of(apps)),
        List.of(new ComposeStep("m", Templates.compile("x", false))));
  }
}
