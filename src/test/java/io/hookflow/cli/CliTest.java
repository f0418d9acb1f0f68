package io.hookflow.cli;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.unassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.MailServer;
import io.hookflow.TestInstance;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.node.ObjectNode;

@ExtendWith(OutputCaptureExtension.class)
class CliTest {

  static final String SALESFORCE = "Salesforce unassignment notice";

  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Cli.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpIsAskedForAndValidateTakesAFolderOrAFile() {
    Path flows = Fixtures.flows(dir.resolve("flows"), "salesforce.yaml", "all-apps-html.yaml");

    Result help = cli("--help");
    Result folder = cli("validate", flows.toString());
    Result file = cli("validate", flows.resolve("salesforce.yaml").toString());
    Result two = cli("validate", flows.toString(), flows.toString());

    assertThat(Cli.isCommand(new String[] {"--help"})).isTrue();
    assertThat(Cli.isCommand(new String[] {"--server.port=8081"})).isFalse();
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("run the service").contains("validate [DIR|FILE]");
    assertThat(folder.out()).endsWith("2 flow(s) valid\n");
    assertThat(file.exit()).as(file.err()).isZero();
    assertThat(file.out()).contains(": " + SALESFORCE).endsWith("1 flow(s) valid\n");
    assertThat(two.exit()).isEqualTo(2);
    assertThat(two.err()).startsWith("one folder or file at a time");

    Result asAnOption = cli("validate", "--hookflow.flows=" + flows);
    assertThat(asAnOption.exit()).isEqualTo(2);
    assertThat(asAnOption.err())
        .startsWith("unknown option --hookflow.flows=" + flows + "; validate takes the folder");
  }

  @Test
  void validatingAFolderWithoutFlowFilesFails() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(folder.resolve("notes.txt"), "flows go here");

    Result result = cli("validate", folder.toString());

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith(folder + ": no flow files (*.yaml, *.yml) in this folder");
  }

  @Test
  void validateNotesAndRenderRefusesAFlowThatNeedsAnOktaConnectionTheyCannotSee() {
    Path flows = Fixtures.flows(dir.resolve("flows"), "manager-notice.yaml");

    Result result = cli("validate", flows.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .contains(
            "note "
                + flows.resolve("manager-notice.yaml")
                + ": step 1 (okta-user) needs an Okta connection where the service runs")
        .endsWith("1 flow(s) valid\n");

    Result render =
        cli("render", flows.resolve("manager-notice.yaml").toString(), flows.toString());
    assertThat(render.exit()).isEqualTo(1);
    assertThat(render.err())
        .startsWith("render does not call Okta, and step 1 (okta-user) of this flow reads a user");
  }

  @Test
  void backupCopiesTheDatabaseWhileTheServiceRunsAndTheCopyRestores() throws Exception {
    Path flows = Fixtures.flows(dir.resolve("flows"), "salesforce.yaml");
    Path data = dir.resolve("data");
    Path copy = Files.createDirectories(dir.resolve("backups")).resolve("hookflow.db");
    ObjectNode event = salesforceUnassignment();
    Result backup;
    Result again;
    try (TestInstance hookflow = TestInstance.start(TestInstance.defaults(flows, data))) {
      assertThat(hookflow.deliver(delivery(event)).statusCode()).isEqualTo(200);
      await().until(() -> hookflow.unfinishedRuns() == 0);

      backup =
          cli("backup", copy.toString(), "--hookflow.data=" + data, "--hookflow.flows=" + flows);
      again =
          cli("backup", copy.toString(), "--hookflow.data=" + data, "--hookflow.flows=" + flows);

      // the service goes on meanwhile
      assertThat(hookflow.deliver(delivery(salesforceUnassignment())).statusCode()).isEqualTo(200);
    }

    assertThat(backup.exit()).as(backup.err()).isZero();
    assertThat(backup.out())
        .startsWith(
            "backed up "
                + data.resolve("hookflow.db").toAbsolutePath()
                + " to "
                + copy
                + ": 1 events, 1 runs, ");
    assertThat(Files.getPosixFilePermissions(copy))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains(copy + " exists; name a new file");
    try (var left = Files.list(data)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("nothing made in the service's data folder")
          .allMatch(
              name -> name.startsWith("hookflow.db") || List.of("outbox", "tomcat").contains(name));
    }

    Path restored = Files.createDirectories(dir.resolve("restored"));
    Files.copy(copy, restored.resolve("hookflow.db"));
    try (TestInstance hookflow = TestInstance.start(TestInstance.defaults(flows, restored))) {
      assertThat(hookflow.runState(Fixtures.uuid(event), SALESFORCE)).isEqualTo("succeeded");
      // Okta's retry of that delivery, after the restore: known, not run again
      assertThat(hookflow.deliver(delivery(event)).statusCode()).isEqualTo(200);
      assertThat(hookflow.count("runs")).isOne();
    }
  }

  @Test
  void backupNeedsTheServicesDatabase() {
    Result nowhere =
        cli("backup", dir.resolve("copy.db").toString(), "--hookflow.data=" + dir.resolve("none"));
    Result noFile = cli("backup");

    assertThat(nowhere.exit()).isEqualTo(1);
    assertThat(nowhere.err()).startsWith("cannot start: no hookflow database at ");
    assertThat(dir.resolve("copy.db")).doesNotExist();
    assertThat(noFile.exit()).isEqualTo(2);
    assertThat(noFile.err()).startsWith("backup needs the file to write");
  }

  @Test
  void renderPrintsTheEmailsAFlowWouldSend() throws Exception {
    Path flows = Fixtures.flows(dir.resolve("flows"), "salesforce.yaml", "all-apps-html.yaml");
    Path event = dir.resolve("event.json");
    Files.writeString(event, Fixtures.JSON.writeValueAsString(salesforceUnassignment()));

    Result byName = cli("render", SALESFORCE, event.toString(), "--flows", flows.toString());
    Result byFile = cli("render", flows.resolve("salesforce.yaml").toString(), event.toString());

    assertThat(byName.exit()).as(byName.err()).isZero();
    assertThat(byName.out())
        .contains("To: audit@example.test")
        .contains("Cc: riley.admin@example.test")
        .contains("Subject: Morgan Blake unassigned from Salesforce.com")
        .contains("was unassigned from Salesforce.com by Riley Admin in Porto.")
        .contains("1 email(s) rendered, none sent");
    assertThat(byFile.out()).isEqualTo(byName.out());
  }

  @Test
  void renderSaysWhenTheEventWouldNotStartTheFlow() throws Exception {
    Path flows = Fixtures.flows(dir.resolve("flows"), "salesforce.yaml");
    Path event = dir.resolve("delivery.json");
    Files.writeString(event, delivery(unassignment("0oaTestZoom000001", "Zoom")));

    Result result = cli("render", SALESFORCE, event.toString(), "--flows", flows.toString());

    assertThat(result.exit()).isZero();
    assertThat(result.err()).contains("would not start the flow").contains("Zoom");
    assertThat(cli("render", "nope", event.toString(), "--flows", flows.toString()).exit())
        .isEqualTo(1);
    assertThat(cli("render", SALESFORCE).exit()).isEqualTo(2);

    Result badSender =
        cli("render", SALESFORCE, event.toString(), "--flows", flows.toString(), "--from", "a b");
    assertThat(badSender.exit()).isEqualTo(1);
    assertThat(badSender.err()).contains("--from is a b; one address is needed");
    assertThat(badSender.out()).doesNotContain("From:");
  }

  @Test
  void runsAreListedShownAndRetriedThroughTheApi() {
    try (MailServer smtp = new MailServer()) {
      Map<String, String> properties =
          TestInstance.defaultsWithMail(dir, smtp.port(), "salesforce.yaml");
      properties.put("hookflow.runs.retry.max-attempts", "1");
      try (TestInstance hookflow = TestInstance.start(properties)) {
        ObjectNode event = salesforceUnassignment();
        hookflow.deliver(delivery(event));
        await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), SALESFORCE)));
        String id = hookflow.jdbc().sql("SELECT id FROM runs").query(String.class).single();

        Result list = runs(hookflow, "list", "--state", "failed", "--for-user", "morgan");
        Result show = runs(hookflow, "show", id);
        Result all = runs(hookflow, "retry-failed", "--for-user", "morgan");
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).contains("1 failed run(s) queued for another attempt");
        await()
            .until(
                () ->
                    hookflow
                        .jdbc()
                        .sql("SELECT attempts FROM runs WHERE state = 'failed'")
                        .query(Integer.class)
                        .list()
                        .equals(List.of(2)));
        smtp.start();
        Result retry = runs(hookflow, "retry", id);

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out())
            .contains(id)
            .contains("failed")
            .contains(SALESFORCE)
            .contains("1 run(s)");
        assertThat(show.out())
            .contains("\"steps\"")
            .contains("\"eventUuid\" : \"" + Fixtures.uuid(event));
        assertThat(retry.exit()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("queued");
        await()
            .until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), SALESFORCE)));
        Result again = runs(hookflow, "retry", id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("409");
        Result noneFailed = runs(hookflow, "retry-failed", "--flow", SALESFORCE);
        assertThat(noneFailed.exit()).as(noneFailed.err()).isZero();
        assertThat(noneFailed.out()).contains("0 failed run(s) queued for another attempt");
        Result onePage = runs(hookflow, "retry-failed", "--page", "2");
        assertThat(onePage.exit()).isEqualTo(2);
        assertThat(onePage.err()).contains("--page and --size do not apply");
        Result notFailed = runs(hookflow, "retry-failed", "--state", "succeeded");
        assertThat(notFailed.exit()).isEqualTo(1);
        assertThat(notFailed.err()).contains("400").contains("only failed runs are retried");
        Result refused = cli("runs", "list", "--url", hookflow.url("/"), "--password", "wrong");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("401");
        Result elsewhere =
            cli(
                "runs",
                "list",
                "--url",
                hookflow.url("/runs"),
                "--password",
                TestInstance.PASSWORD);
        assertThat(elsewhere.exit()).isEqualTo(1);
        assertThat(elsewhere.err())
            .contains("answered 302 (to ")
            .contains("give --url the address hookflow itself answers on");
      }
    }
  }

  @Test
  void aServiceThatIsNotThereIsSaidInWords() throws Exception {
    int closed;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      closed = free.getLocalPort();
    }

    Result result = cli("runs", "list", "--url", "http://127.0.0.1:" + closed, "--password", "any");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains("cannot reach http://127.0.0.1:" + closed)
        .contains("connection refused");
  }

  @Test
  void oktaStatusWhereThereIsNoDatabaseSaysSoInOneLine(CapturedOutput output) {
    Path flows = Fixtures.flows(dir.resolve("flows"), "salesforce.yaml");

    Result result =
        cli(
            "okta",
            "status",
            "--hookflow.flows=" + flows,
            "--hookflow.data=" + dir.resolve("elsewhere"));

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("cannot start: no hookflow database at");
    assertThat(output.getAll()).doesNotContain("Application run failed").doesNotContain("\tat ");
  }

  private static Result runs(TestInstance hookflow, String... args) {
    List<String> all = new ArrayList<>(List.of("runs"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--url",
            hookflow.url(""),
            "--user",
            TestInstance.USER,
            "--password",
            TestInstance.PASSWORD));
    return cli(all.toArray(String[]::new));
  }
}
