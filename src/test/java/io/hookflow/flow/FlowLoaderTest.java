package io.hookflow.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookflow.Fixtures;
import io.hookflow.step.ComposeStep;
import io.hookflow.step.EmailStep;
import io.hookflow.step.GetStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowLoaderTest {

  @TempDir Path dir;

  @Test
  void readsTheShippedExampleFlows() {
    Flows flows = FlowLoader.load(Path.of("flows"));

    assertThat(flows.all()).hasSize(3);
    assertThat(flows.eventTypes()).containsExactly("application.user_membership.remove");
  }

  @Test
  void readsEveryPartOfAFlow() {
    Flow flow =
        FlowLoader.load(Fixtures.flows(dir, "salesforce.yaml"))
            .named("Salesforce unassignment notice")
            .orElseThrow();

    assertThat(flow.trigger().event()).isEqualTo("application.user_membership.remove");
    assertThat(flow.trigger().applications()).containsExactly("Salesforce.com");
    assertThat(flow.steps()).hasSize(3);
    assertThat(((GetStep) flow.steps().get(0)).fields())
        .containsEntry("appLabel", "target.1.alternateId");
    assertThat(((ComposeStep) flow.steps().get(1)).name()).isEqualTo("message");
    EmailStep email = (EmailStep) flow.steps().get(2);
    assertThat(email.to()).extracting(Object::toString).containsExactly("audit@example.test");
    assertThat(email.cc()).extracting(Object::toString).containsExactly("{{actor.alternateId}}");
    assertThat(email.bcc()).isEmpty();
    assertThat(email.html()).isFalse();
  }

  @Test
  void aSingleAddressMayBeWrittenWithoutAList() {
    List<String> problems = new ArrayList<>();
    Flow flow =
        FlowLoader.parse(
            dir.resolve("f.yaml"),
            """
            name: n
            trigger: {event: user.lifecycle.deactivate}
            steps:
              - email: {to: "{{user.alternateId}}", subject: s, body: b}
            """,
            problems);

    assertThat(problems).isEmpty();
    assertThat(((EmailStep) flow.steps().get(0)).to()).hasSize(1);
  }

  @Test
  void unknownKeyIsNamedWithItsLine() {
    assertThat(
            problems(
                """
        name: n
        trigger:
          event: application.user_membership.remove
          apps: [Salesforce.com]
        steps:
          - compose: {name: m, text: hi}
        """))
        .containsExactly(
            "f.yaml:4:3: unknown key 'apps' in trigger; allowed: [event, applications]");
  }

  @Test
  void aFlowNameThatCannotStandInAnAddressIsRefused() {
    for (String name : List.of("HR/IT offboarding", "50% notice", "a;b", "back\\\\slash")) {
      assertThat(
              problems(
                  """
          name: "%s"
          trigger: {event: e}
          steps:
            - compose: {name: m, text: hi}
          """
                      .formatted(name)))
          .singleElement()
          .asString()
          .startsWith(
              "f.yaml:1:7: the flow's name must not contain / \\ % ; or control characters");
    }
    assertThat(
            problems(
                """
        name: "Offboarding: HR & IT (50 percent)"
        trigger: {event: e}
        steps:
          - compose: {name: m, text: hi}
        """))
        .isEmpty();
    assertThat(
            problems(
                """
        name: "%s"
        trigger: {event: e}
        steps:
          - compose: {name: m, text: hi}
        """
                    .formatted("n".repeat(256))))
        .containsExactly(
            "f.yaml:1:7: the flow's name is 256 characters long; at most 255 are allowed");
  }

  @Test
  void anHtmlBodyEscapesEveryValueAndTemplatesKeepTheirDelimiters() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email: {to: a@example.test, subject: s, html: true, body: "<p>{{{user.displayName}}}</p>"}
        """))
        .singleElement()
        .asString()
        .contains("{{{user.displayName}}} would put its value in unescaped")
        .contains("write {{user.displayName}}");
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email: {to: a@example.test, subject: s, html: true, body: "<p>{{& user.displayName}}</p>"}
        """))
        .singleElement()
        .asString()
        .contains("would put its value in unescaped");
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email: {to: a@example.test, subject: "{{{user.displayName}}}", body: "{{{user.id}}}"}
        """))
        .as("plain text is never escaped: the tags mean the same there")
        .isEmpty();
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - compose: {name: m, text: "{{=<% %>=}} <%usr.x%>"}
        """))
        .singleElement()
        .asString()
        .contains("changing the delimiters");
  }

  @Test
  void unknownStepIsNamedWithItsLine() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - compose: {name: m, text: hi}
          - slack: {channel: x}
        """))
        .containsExactly(
            "f.yaml:5:5: unknown step 'slack'; known steps: [get, compose, email, okta-user]");
  }

  @Test
  void settingsNotIndentedUnderTheirStepAreNamedAsSuch() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email:
            to: [a@example.test]
            subject: s
            body: b
        """))
        .containsExactly(
            "f.yaml:4:5: step 1 has the keys [email, to, subject, body] side by side; a step is"
                + " one of [get, compose, email, okta-user] with its settings indented under it");
  }

  @Test
  void missingFieldsAreNamed() {
    assertThat(
            problems(
                """
        trigger: {}
        steps:
          - email: {to: [a@example.test], body: hi}
        """))
        .containsExactly(
            "f.yaml:1:1: missing 'name' in the flow",
            "f.yaml:1:10: missing 'event' in trigger",
            "f.yaml:3:12: step 1 (email): missing 'subject'");
  }

  @Test
  void badTemplateIsNamedWithItsLine() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - compose:
              name: m
              text: "{{#user}}unclosed"
        """))
        .singleElement()
        .asString()
        .startsWith("f.yaml:6:13: step 1 (compose) text: bad template:");
  }

  @Test
  void anAddressWrittenOutIsCheckedAtOnce() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email: {to: [ok@example.test, not-an-address], cc: "x: a@example.test, b@example.test;", subject: s, body: b}
        """))
        .containsExactly(
            "f.yaml:4:35: step 1 (email) to: 'not-an-address' is not an address: Missing final '@domain'",
            "f.yaml:4:56: step 1 (email) cc: 'x: a@example.test, b@example.test;' is not an address:"
                + " a group of addresses where one address is expected");
  }

  @Test
  void aTagLeftOpenOrEmptyIsABadTemplate() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email: {to: a@example.test, subject: "s {{user.displayName", body: "{{! a
            comment over two lines }}b"}
        """))
        .singleElement()
        .asString()
        .startsWith("f.yaml:4:42: step 1 (email) subject: bad template: '{{user.displayName'")
        .endsWith("opens a tag that is never closed with '}}'");
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email: {to: a@example.test, subject: s, body: "a {{ }} b"}
        """))
        .singleElement()
        .asString()
        .contains("body: bad template: {{ }} names nothing");
  }

  @Test
  void unknownVariableRootIsNamed() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - email:
              to: [a@example.test]
              subject: "{{usr.displayName}} left"
              body: "{{message}}"
        """))
        .containsExactly(
            "f.yaml:6:16: step 1 (email) subject: unknown variable 'usr'; known here: [event, user,"
                + " appUser, application, actor]",
            "f.yaml:7:13: step 1 (email) body: unknown variable 'message'; known here: [event,"
                + " user, appUser, application, actor]");
  }

  @Test
  void laterStepsSeeEarlierOutputsButNotTheOtherWayRound() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - compose: {name: early, text: "{{late}}"}
          - get: {fields: {late: target.0.id}}
          - email: {to: [a@example.test], subject: "{{early}} {{late}}", body: x}
        """))
        .singleElement()
        .asString()
        .startsWith("f.yaml:4:34: step 1 (compose) text: unknown variable 'late'");
  }

  @Test
  void namesMayNotShadowEventParts() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e}
        steps:
          - compose: {name: user, text: x}
        """))
        .containsExactly("f.yaml:4:21: step 1 (compose): the name 'user' is already taken");
  }

  @Test
  void emptyApplicationListIsAnError() {
    assertThat(
            problems(
                """
        name: n
        trigger: {event: e, applications: []}
        steps:
          - compose: {name: m, text: x}
        """))
        .singleElement()
        .asString()
        .contains("'applications' is empty");
  }

  @Test
  void invalidYamlIsNamedWithItsLine() {
    assertThat(problems("name: n\ntrigger: {event: e\nsteps: []\n"))
        .singleElement()
        .asString()
        .startsWith("f.yaml:3:");
  }

  @Test
  void duplicateFlowNamesAcrossFilesAreRefused() throws IOException {
    Files.writeString(
        dir.resolve("a.yaml"),
        "name: same\ntrigger: {event: e}\nsteps: [{compose: {name: m, text: x}}]\n");
    Files.writeString(
        dir.resolve("b.yml"),
        "name: same\ntrigger: {event: e}\nsteps: [{compose: {name: m, text: x}}]\n");

    assertThatThrownBy(() -> FlowLoader.load(dir))
        .isInstanceOf(FlowDefinitionException.class)
        .hasMessageContaining("b.yml:1:7: flow name 'same' is already used by")
        .hasMessageContaining("a.yaml:1:7");
  }

  @Test
  void everyInvalidFileIsReportedAtOnce() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "name: a\n");
    Files.writeString(dir.resolve("b.yaml"), "name: b\ntrigger: {event: e}\n");

    assertThatThrownBy(() -> FlowLoader.load(dir))
        .isInstanceOfSatisfying(
            FlowDefinitionException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(3)
                    .anySatisfy(p -> assertThat(p).contains("a.yaml").contains("missing 'trigger'"))
                    .anySatisfy(p -> assertThat(p).contains("b.yaml").contains("missing 'steps'")));
  }

  @Test
  void aFlowFolderThatIsASymbolicLinkIsRead() throws IOException {
    Path flows = Fixtures.flows(dir.resolve("flows-in-git"), "salesforce.yaml");
    Path link = Files.createSymbolicLink(dir.resolve("flows"), flows);

    Flows loaded = FlowLoader.load(link);

    assertThat(loaded.all())
        .singleElement()
        .satisfies(flow -> assertThat(flow.file()).isEqualTo(link.resolve("salesforce.yaml")));
  }

  @Test
  void flowFilesAreKnownByTheirExtensionInAnyCaseAndOtherFilesAreLeft() throws IOException {
    String flow = "name: %s\ntrigger: {event: e}\nsteps: [{compose: {name: m, text: x}}]\n";
    Files.writeString(dir.resolve("One-App.YAML"), flow.formatted("upper yaml"));
    Files.writeString(dir.resolve("Two.Yml"), flow.formatted("mixed yml"));
    Files.writeString(dir.resolve("three.yaml"), flow.formatted("lower yaml"));
    Files.writeString(dir.resolve("notes.txt"), flow.formatted("not a flow"));
    Files.writeString(dir.resolve("old.yaml.bak"), flow.formatted("a backup"));

    Flows loaded = FlowLoader.load(dir);

    assertThat(loaded.all())
        .extracting(Flow::name)
        .containsExactlyInAnyOrder("upper yaml", "mixed yml", "lower yaml");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedWithWhereItStopsBeingUtf8() throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(
        file,
        "name: Caf\u00e9 notice\ntrigger: {event: e}\nsteps: [{compose: {name: m, text: x}}]\n"
            .getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> FlowLoader.load(dir))
        .isInstanceOfSatisfying(
            FlowDefinitionException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        file + ":1:10: not UTF-8 text (byte 0xE9); save the file as UTF-8"));
  }

  @Test
  void missingFolderIsAnError() {
    assertThatThrownBy(() -> FlowLoader.load(dir.resolve("nope")))
        .hasMessageContaining("flow folder does not exist");
  }

  @Test
  void aFileWhereTheFolderIsExpectedIsNamedSo() throws IOException {
    Path file = Files.writeString(dir.resolve("one.yaml"), "name: x\n");

    assertThatThrownBy(() -> FlowLoader.load(file))
        .hasMessageContaining(
            file + ": is a file; the flows are the *.yaml and *.yml files of a folder");
  }

  private List<String> problems(String yaml) {
    List<String> problems = new ArrayList<>();
    FlowLoader.parse(Path.of("f.yaml"), yaml, problems);
    return problems;
  }
}
