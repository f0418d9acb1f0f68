package io.hookflow.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.step.OktaUserStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OktaUserStepReadingTest {

  static final Path FILE = Path.of("flows/manager.yaml");
  static final String HEAD =
      """
      name: Manager
      trigger:
        event: application.user_membership.remove
      steps:
      """;

  @Test
  void theIdDefaultsToTheEventsUser() {
    List<String> problems = new ArrayList<>();

    Flow flow = FlowLoader.parse(FILE, HEAD + "  - okta-user: {name: person}\n", problems);

    assertThat(problems).isEmpty();
    OktaUserStep step = (OktaUserStep) flow.steps().get(0);
    assertThat(step.name()).isEqualTo("person");
    assertThat(step.id().source()).isEqualTo("{{user.id}}");
  }

  @Test
  void aLaterStepMayReadTheUserAndLoadTheManager() {
    List<String> problems = new ArrayList<>();

    Flow flow =
        FlowLoader.parse(
            FILE,
            HEAD
                + """
                  - okta-user: {name: person}
                  - okta-user: {name: manager, id: "{{person.profile.managerId}}"}
                  - email: {to: ["{{manager.profile.email}}"], subject: "{{person.status}}", body: x}
                """,
            problems);

    assertThat(problems).isEmpty();
    assertThat(flow.steps()).hasSize(3);
  }

  @Test
  void mistakesAreNamedWithTheirPlace() {
    List<String> problems = new ArrayList<>();

    FlowLoader.parse(
        FILE,
        HEAD
            + """
              - okta-user: {id: "{{user.id}}"}
              - okta-user: {name: boss, id: "{{nobody.id}}"}
              - okta-user: {name: user}
              - okta-user: {name: x, login: y}
            """,
        problems);

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith(FILE + ":5:").contains("missing 'name'"))
        .anySatisfy(
            p -> assertThat(p).startsWith(FILE + ":6:").contains("unknown variable 'nobody'"))
        .anySatisfy(p -> assertThat(p).startsWith(FILE + ":7:").contains("already taken"))
        .anySatisfy(p -> assertThat(p).startsWith(FILE + ":8:").contains("unknown key 'login'"));
  }
}
