package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import io.hookflow.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class HookSetupTest {

  @TempDir Path dir;
  final OktaStub okta = new OktaStub(Clock.systemUTC());
  TestInstance hookflow;
  Path flows;

  @BeforeEach
  void start() {
    okta.app("0oaTestSalesforce01", "Salesforce.com")
        .app("0oaTestWorkday001", "Workday")
        .app("0oaTestGitHub00001", "GitHub Enterprise")
        .app("0oaTestBox0000001", "Box");
    flows = Fixtures.flows(dir.resolve("flows"), "salesforce.yaml", "chosen-apps.yaml");
    Map<String, String> properties = TestInstance.defaults(flows, dir.resolve("data"));
    properties.put("hookflow.okta.org-url", okta.orgUrl());
    properties.put("hookflow.okta.api-token", OktaStub.TOKEN);
    hookflow = TestInstance.start(properties);
  }

  @AfterEach
  void stop() {
    hookflow.close();
    okta.close();
  }

  @Test
  void createsAVerifiedHookWithTheSecretAndAnAppFilter() {
    Output run = okta("setup-hook", "--url", hookflow.url("/hooks/okta"));

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("created event hook 'hookflow'").contains("verified");
    assertThat(okta.hooks()).hasSize(1);
    JsonNode hook = okta.hooks().get(0);
    assertThat(hook.path("verificationStatus").asString()).isEqualTo("VERIFIED");
    assertThat(hook.path("events").path("items").get(0).asString())
        .isEqualTo("application.user_membership.remove");
    JsonNode auth = hook.path("channel").path("config").path("authScheme");
    assertThat(auth.path("type").asString()).isEqualTo("HEADER");
    assertThat(auth.path("key").asString()).isEqualTo("Authorization");
    assertThat(auth.path("value").asString()).isEqualTo(TestInstance.SECRET);
    JsonNode filter = hook.path("events").path("filter");
    assertThat(filter.path("type").asString()).isEqualTo("EXPRESSION_LANGUAGE");
    assertThat(filter.path("eventFilterMap").get(0).path("event").asString())
        .isEqualTo("application.user_membership.remove");
    assertThat(filter.path("eventFilterMap").get(0).path("condition").path("expression").asString())
        .isEqualTo(
            "event.target.?[type eq 'AppInstance' && (id eq '0oaTestWorkday001'"
                + " || id eq '0oaTestGitHub00001' || id eq '0oaTestBox0000001'"
                + " || id eq '0oaTestSalesforce01')].size() > 0");
  }

  @Test
  void aLabelThatAppsShareLetsEventsOfEachThrough() {
    okta.app("0oaTestBox0000002", "Box");

    Output run = okta("setup-hook", "--url", hookflow.url("/hooks/okta"));

    assertThat(run.code()).as(run.err()).isZero();
    JsonNode filter = okta.hooks().get(0).path("events").path("filter");
    assertThat(filter.path("eventFilterMap").get(0).path("condition").path("expression").asString())
        .contains("id eq '0oaTestBox0000001' || id eq '0oaTestBox0000002'");
  }

  @Test
  void runningAgainUpdatesTheSameHook() {
    okta("setup-hook", "--url", hookflow.url("/hooks/okta"));
    String id = okta.hooks().get(0).path("id").asString();
    Fixtures.flows(flows, "all-apps-html.yaml");

    Output again = okta("setup-hook", "--url", hookflow.url("/hooks/okta"));

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("updated event hook 'hookflow' (" + id + ")");
    assertThat(okta.hooks()).hasSize(1);
    JsonNode hook = okta.hooks().get(0);
    assertThat(hook.path("id").asString()).isEqualTo(id);
    assertThat(hook.path("verificationStatus").asString()).isEqualTo("VERIFIED");
    // A flow for every app of that event type now: Okta must send them all.
    assertThat(hook.path("events").has("filter")).isFalse();
    assertThat(okta.requests(HookSetup.HOOKS + "/" + id)).hasSize(1);
  }

  @Test
  void aHookOktaCannotVerifyIsReported() {
    Output run = okta("setup-hook", "--url", "http://127.0.0.1:9/hooks/okta");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("NOT verified").contains("E0000001");
    assertThat(okta.hooks().get(0).path("verificationStatus").asString()).isEqualTo("UNVERIFIED");
  }

  @Test
  void plainHttpIsRefusedExceptOnLoopback() {
    Output run = okta("setup-hook", "--url", "http://hookflow.example.test/hooks/okta");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("must be https");
    assertThat(okta.hooks()).isEmpty();
  }

  @Test
  void aWrongTokenIsReportedClearly() {
    Output run =
        okta(
            "setup-hook",
            "--url",
            hookflow.url("/hooks/okta"),
            "--hookflow.okta.api-token=not-the-token");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("Okta refuses hookflow's request")
        .contains("E0000011: Invalid token provided")
        .contains("api-token")
        .doesNotContain("flow files");
  }

  @Test
  void aCommandRunWithoutTheServicesSecretGivesOktaNone() throws IOException {
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    // Its database, but not its secret (the service had it from its environment).
    Files.copy(dir.resolve("data").resolve("hookflow.db"), elsewhere.resolve("hookflow.db"));
    Output run =
        okta(
            "setup-hook",
            "--url",
            hookflow.url("/hooks/okta"),
            "--hookflow.data=" + elsewhere,
            "--hookflow.hook.secret=");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("cannot start: no hook secret");
    assertThat(okta.hooks()).isEmpty();
    assertThat(elsewhere.resolve("hook-secret")).doesNotExist();
  }

  @Test
  void aCommandRunElsewhereMakesNoDatabaseThere() {
    Output run = okta("status", "--hookflow.data=" + dir.resolve("nowhere"));

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("cannot start: no hookflow database at " + dir.resolve("nowhere/hookflow.db"));
    assertThat(dir.resolve("nowhere")).doesNotExist();
  }

  @Test
  void anOrgUrlThatIsNotOneIsReportedClearly() {
    Output run = okta("status", "--hookflow.okta.org-url=example.okta.com");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "cannot start: hookflow.okta.org-url is 'example.okta.com'; it must be the org's"
                + " address alone, e.g. https://example.okta.com")
        .doesNotContain("\tat ");
  }

  @Test
  void statusShowsHooksAndTheCursor() {
    okta("setup-hook", "--url", hookflow.url("/hooks/okta"));

    Output status = okta("status");

    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Event hooks: 1")
        .contains("hookflow")
        .contains("ACTIVE")
        .contains("VERIFIED")
        .contains("System Log cursor: none");
  }

  record Output(int code, String out, String err) {}

  private Output okta(String... args) {
    List<String> all = new ArrayList<>(List.of("okta"));
    all.addAll(List.of(args));
    if (all.stream().noneMatch(a -> a.startsWith("--hookflow.okta.org-url="))) {
      all.add("--hookflow.okta.org-url=" + okta.orgUrl());
    }
    if (all.stream().noneMatch(a -> a.startsWith("--hookflow.okta.api-token="))) {
      all.add("--hookflow.okta.api-token=" + OktaStub.TOKEN);
    }
    all.add("--hookflow.flows=" + flows);
    if (all.stream().noneMatch(a -> a.startsWith("--hookflow.data="))) {
      all.add("--hookflow.data=" + dir.resolve("data"));
    }
    if (all.stream().noneMatch(a -> a.startsWith("--hookflow.hook.secret="))) {
      all.add("--hookflow.hook.secret=" + TestInstance.SECRET);
    }
    all.add("--logging.level.root=WARN");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.run(
            all.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Output(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
