package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import io.hookflow.flow.FlowDefinitionException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OktaAppsTest {

  @TempDir Path dir;
  final OktaStub okta = new OktaStub(Clock.systemUTC());

  @AfterEach
  void stop() {
    okta.close();
  }

  @Test
  void applicationsNamedByLabelOrIdAreFoundInTheOrg() {
    okta.app("0oaTestSalesforce01", "Salesforce.com")
        .app("0oaTestWorkday001", "Workday")
        .app("0oaTestGitHub00001", "GitHub Enterprise")
        .app("0oaTestBox0000001", "Box");

    try (TestInstance hookflow = TestInstance.start(properties())) {
      assertThat(hookflow.bean(OktaApps.class).ids("box")).containsExactly("0oaTestBox0000001");
    }
  }

  @Test
  void anUnknownApplicationStopsStartUpNamingTheFlowFile() {
    okta.app("0oaTestSalesforce01", "Salesforce.com")
        .app("0oaTestWorkday001", "Workday")
        .app("0oaTestGitHub00001", "GitHub Enterprise");

    assertThatThrownBy(() -> TestInstance.start(properties()))
        .hasRootCauseInstanceOf(FlowDefinitionException.class)
        .rootCause()
        .hasMessageContaining("chosen-apps.yaml")
        .hasMessageContaining("no application with label or id 'box'");
  }

  @Test
  void aWrongTokenStopsStartUpWithOktasError() {
    Map<String, String> properties = properties();
    properties.put("hookflow.okta.api-token", "wrong");

    Throwable thrown = catchThrowable(() -> TestInstance.start(properties));

    assertThat(SettingsFailure.in(thrown))
        .hasMessageContaining("Okta refuses hookflow's request")
        .hasMessageContaining("E0000011: Invalid token provided")
        .hasMessageContaining("hookflow.okta.api-token");
  }

  private Map<String, String> properties() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml", "chosen-apps.yaml"),
            dir.resolve("data"));
    properties.put("hookflow.okta.org-url", okta.orgUrl());
    properties.put("hookflow.okta.api-token", OktaStub.TOKEN);
    return properties;
  }
}
