package io.hookflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Starting the service as a user does, in a process of its own. */
@ExtendWith(OutputCaptureExtension.class)
class StartupTest {

  @TempDir Path dir;

  @Test
  void invalidFlowFileStopsStartWithANonZeroExitNamingFileAndLine() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(
        flows.resolve("broken.yaml"),
        """
        name: Broken
        trigger:
          event: application.user_membership.remove
          aplications: [Salesforce.com]
        steps:
          - compose: {name: m, text: "{{usr.displayName}}"}
        """);

    Result result =
        run(
            "--server.port=0",
            "--hookflow.flows=" + flows,
            "--hookflow.data=" + dir.resolve("data"));

    assertThat(result.exit()).isNotZero();
    assertThat(result.output())
        .contains(flows.resolve("broken.yaml") + ":4:3: unknown key 'aplications' in trigger")
        .contains(
            flows.resolve("broken.yaml") + ":6:30: step 1 (compose) text: unknown variable 'usr'");
  }

  @Test
  void validateCommandChecksFlowsWithoutStarting() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("bad.yaml"), "name: x\nsteps: []\n");

    Result bad = run("validate", flows.toString());
    Result good = run("validate", "flows");
    Result asTheServiceHasIt = run(Map.of("HOOKFLOW_FLOWS", flows.toString()), "validate");

    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.output()).contains(flows.resolve("bad.yaml") + ":1:1: missing 'trigger'");
    assertThat(good.exit()).isZero();
    assertThat(good.output()).contains("3 flow(s) valid");
    assertThat(asTheServiceHasIt.exit()).isEqualTo(1);
    assertThat(asTheServiceHasIt.output()).contains(flows.resolve("bad.yaml") + ":1:1:");
  }

  @Test
  void secretIsGeneratedOnceOwnerOnlyAndRequired(CapturedOutput output) throws IOException {
    Path data = dir.resolve("data");
    var properties = TestInstance.defaults(Path.of("flows"), data);
    properties.remove("hookflow.hook.secret");

    String secret;
    try (TestInstance hookflow = TestInstance.start(properties)) {
      secret = Files.readString(data.resolve("hook-secret")).strip();
      assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
      assertThat(Files.getPosixFilePermissions(data))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE);
      assertThat(Files.getPosixFilePermissions(data.resolve("hook-secret")))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(verify(hookflow, "")).isEqualTo(401);
      assertThat(verify(hookflow, secret)).isEqualTo(200);
      assertThat(output.getOut())
          .as("the log names the file, never the secret: logs are often collected")
          .contains("generated and kept in " + data.resolve("hook-secret").toAbsolutePath())
          .doesNotContain(secret);
    }
    try (TestInstance again = TestInstance.start(properties)) {
      assertThat(Files.readString(data.resolve("hook-secret")).strip()).isEqualTo(secret);
      assertThat(verify(again, secret)).isEqualTo(200);
    }
  }

  @Test
  void inADataFolderEveryoneMayReadTheDatabaseAndTheOutboxAreTheOwnersOnly() throws IOException {
    // As a service manager makes a state directory: there already, readable by all.
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    var properties =
        TestInstance.defaults(Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), data);

    try (TestInstance hookflow = TestInstance.start(properties)) {
      assertThat(
              hookflow.deliver(Fixtures.delivery(Fixtures.salesforceUnassignment())).statusCode())
          .isEqualTo(200);
      Path outbox = data.resolve("outbox");
      await().until(() -> Files.isDirectory(outbox) && outbox.toFile().list().length == 1);

      assertThat(Files.getPosixFilePermissions(outbox)).isEqualTo(perms("rwx------"));
      try (Stream<Path> files = Stream.concat(Files.list(data), Files.list(outbox))) {
        assertThat(files.filter(Files::isRegularFile))
            .extracting(Path::getFileName)
            .map(Path::toString)
            .contains("hookflow.db", "hookflow.db-wal")
            .anySatisfy(name -> assertThat(name).endsWith(".eml"));
      }
      try (Stream<Path> files = Stream.concat(Files.list(data), Files.list(outbox))) {
        files
            .filter(Files::isRegularFile)
            .forEach(
                file -> assertThat(perms(file)).as(file.toString()).isEqualTo(perms("rw-------")));
      }
    }
  }

  private static Set<PosixFilePermission> perms(String text) {
    return PosixFilePermissions.fromString(text);
  }

  private static Set<PosixFilePermission> perms(Path file) {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void settingsThatCannotWorkAreRefusedAtStartNamingTheSetting() {
    for (String[] setting :
        new String[][] {
          {"hookflow.runs.workers", "-1"},
          {"hookflow.runs.yield-at", "-5"},
          {"hookflow.runs.retry.max-attempts", "0"},
          {"hookflow.runs.retry.multiplier", "0.5"},
          {"hookflow.store.stall-after", "0"},
          {"hookflow.mail.from", "not an address"},
          {"hookflow.mail.from", "a@example.test,b@example.test"},
          {"hookflow.mail.message-id-domain", "bad domain>"}
        }) {
      var properties = TestInstance.defaults(Path.of("flows"), dir.resolve("data"));
      properties.put(setting[0], setting[1]);

      assertThatThrownBy(() -> TestInstance.start(properties))
          .as(setting[0])
          .rootCause()
          .hasMessageContaining(setting[0] + " is " + setting[1]);
    }
  }

  @Test
  void noFlowFileAtAllIsAWarning(CapturedOutput output) throws IOException {
    Path flows = Files.createDirectory(dir.resolve("flows"));
    Files.writeString(flows.resolve("one-app.txt"), "name: not read\n");

    try (TestInstance hookflow =
        TestInstance.start(TestInstance.defaults(flows, dir.resolve("data")))) {
      assertThat(output.getOut())
          .contains("WARN")
          .contains("No flow files (*.yaml, *.yml) in " + flows.toAbsolutePath().normalize());
    }
  }

  @Test
  void aShortChosenHookSecretStopsStartWithANonZeroExitWithoutShowingIt() throws Exception {
    String secret = "okta-hook-123";

    Result result =
        run(
            "--server.port=0",
            "--hookflow.flows=flows",
            "--hookflow.data=" + dir.resolve("data"),
            "--hookflow.hook.secret=" + secret);

    assertThat(result.exit()).isNotZero();
    assertThat(result.output())
        .contains("hookflow.hook.secret has 13 characters; hookflow needs at least 16")
        .contains("openssl rand -base64 24")
        .contains("A new hook secret goes into Okta's event hook too")
        .doesNotContain(secret);
  }

  @Test
  void aMisspeltSettingStopsStartNamingItAndTheNearestOneWithoutItsValue() throws Exception {
    String secret = "a-long-enough-secret-for-okta-1234";

    Result result =
        run(
            "--server.port=0",
            "--hookflow.flows=flows",
            "--hookflow.data=" + dir.resolve("data"),
            "--hookflow.hook.secert=" + secret);

    assertThat(result.exit()).isNotZero();
    assertThat(result.output())
        .contains("hookflow does not know this setting:")
        .contains("hookflow.hook.secert (commandLineArgs): did you mean hookflow.hook.secret?")
        .contains("README.md (Settings) lists every one")
        .doesNotContain(secret)
        .as("nothing generated in its place")
        .doesNotContain("was generated");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aShortSecretWrittenIntoTheSecretFileIsRefusedNamingTheFile() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("hook-secret"), "okta-hook-123\n");
    var properties = TestInstance.defaults(Path.of("flows"), data);
    properties.remove("hookflow.hook.secret");

    assertThatThrownBy(() -> TestInstance.start(properties))
        .rootCause()
        .isInstanceOf(WeakSecretException.class)
        .hasMessage(
            "The hook secret in "
                + data.resolve("hook-secret").toAbsolutePath().normalize()
                + " has 13 characters; hookflow needs at least 16");
  }

  @Test
  void tomcatWorksInTheDataFolderRatherThanLeavingAFolderInTmpAtEveryStart() {
    Path data = dir.resolve("data");
    try (TestInstance hookflow =
        TestInstance.start(TestInstance.defaults(Path.of("flows"), data))) {
      assertThat(data.resolve("tomcat").resolve("work")).isDirectory();
    }
  }

  @Test
  void healthIsOpenAndMetricsCountEvents() {
    var properties = TestInstance.defaults(Path.of("flows"), dir.resolve("data"));
    properties.put("hookflow.runs.workers", "0");
    try (TestInstance hookflow = TestInstance.start(properties)) {
      String body = Fixtures.delivery(Fixtures.salesforceUnassignment());
      hookflow.deliver(body);
      hookflow.deliver(body);

      var health = hookflow.send(hookflow.request("/actuator/health").GET().build());
      var metrics = hookflow.send(hookflow.api("/actuator/prometheus").GET().build());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(metrics.body())
          .contains("hookflow_events_received_total{source=\"hook\"} 1.0")
          .contains("hookflow_events_duplicates_total{source=\"hook\"} 1.0")
          .contains("hookflow_runs{state=\"pending\"} 2.0");
      assertThat(metrics.body()).doesNotContain(TestInstance.SECRET);
    }
  }

  private static int verify(TestInstance hookflow, String secret) {
    return hookflow
        .send(
            hookflow
                .request("/hooks/okta")
                .header("Authorization", secret)
                .header("X-Okta-Verification-Challenge", "c")
                .GET()
                .build())
        .statusCode();
  }

  @Test
  void aDatabaseThatCannotBeReachedStopsStartWithOneMessage() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    Result result =
        run(
            "--server.port=0",
            "--hookflow.data=" + dir.resolve("data"),
            "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closed + "/hookflow",
            "--spring.datasource.username=hookflow");

    assertThat(result.exit()).isNotZero();
    assertThat(result.output())
        .contains(
            "hookflow could not connect to its database: Connection to 127.0.0.1:"
                + closed
                + " refused.")
        .contains("Start the database or make it reachable")
        .doesNotContain("Caused by:");
  }

  record Result(int exit, String output) {}

  /** Runs hookflow with these arguments until it exits; one still running after a minute fails. */
  private Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private Result run(Map<String, String> environment, String... args) throws Exception {
    List<String> command = HookflowProcess.command();
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "output", ".log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(new java.io.File("."))
            .start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS))
          .as("hookflow exited within a minute")
          .isTrue();
    } finally {
      process.destroyForcibly().waitFor();
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
