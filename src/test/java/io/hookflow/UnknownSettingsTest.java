package io.hookflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

@ExtendWith(OutputCaptureExtension.class)
class UnknownSettingsTest {

  private static final String VALUE = "abcdefghijklmnopqrstuvwxyz-secret";

  @Test
  void aMisspeltSettingStopsTheStartNamingItWhereItCameFromAndTheNearestOneButNotItsValue() {
    StandardEnvironment environment =
        environment(
            Map.of("hookflow.hook.secert", VALUE, "hookflow.runs.retry.maxAttempt", "3"), Map.of());

    assertThatThrownBy(() -> check(environment))
        .isInstanceOf(UnknownSettings.UnknownSettingException.class)
        .hasMessageContaining(
            "hookflow.hook.secert (commandLineArgs): did you mean hookflow.hook.secret?")
        .hasMessageContaining(
            "hookflow.runs.retry.maxAttempt (commandLineArgs): did you mean"
                + " hookflow.runs.retry.max-attempts?")
        .message()
        .doesNotContain(VALUE);
  }

  @Test
  void aSettingInsideSpringApplicationJsonIsNamedItselfAndWarningsGoWithTheRefusal() {
    StandardEnvironment environment =
        environment(
            Map.of(),
            Map.of(
                "HOOKFLOW_HOOK_SECERT",
                VALUE,
                "SPRING_APPLICATION_JSON",
                "{\"hookflow\":{\"runs\":{\"retry\":{\"max-atempts\":2}}}}"));
    new org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor()
        .postProcessEnvironment(environment, new SpringApplication());

    assertThatThrownBy(() -> check(environment))
        .hasMessageContaining(
            "hookflow.runs.retry.max-atempts (in spring.application.json, systemEnvironment): did"
                + " you mean"
                + " hookflow.runs.retry.max-attempts?")
        .hasMessageContaining("nor these environment variables (only warned of on their own):")
        .hasMessageContaining("HOOKFLOW_HOOK_SECERT (systemEnvironment)")
        .message()
        .doesNotContain(VALUE);
  }

  @Test
  void settingsHookflowReadsPassInAnyFormTheBinderTakes(CapturedOutput output) {
    StandardEnvironment environment =
        environment(
            Map.of(
                "hookflow.hook.secret", VALUE,
                "hookflow.mail.messageIdDomain", "example.test",
                "hookflow.okta.scopes[0]", "okta.logs.read",
                "hookflow.console.password", VALUE,
                "hookflow.retention-interval", "1h",
                "hookflow.mail.oauth2", ""),
            Map.of(
                "HOOKFLOW_MAIL_MESSAGE_ID_DOMAIN", "example.test", "HOOKFLOW_OKTA_SCOPES_0_", "x"));

    check(environment);

    assertThat(output.getOut()).doesNotContain("hookflow reads");
  }

  @Test
  void anUnknownEnvironmentVariableIsWarnedOfOnly(CapturedOutput output) {
    StandardEnvironment environment =
        environment(Map.of(), Map.of("HOOKFLOW_HOOK_SECERT", VALUE, "HOOKFLOW_JVM_OPTS", "-Xmx1g"));

    check(environment);

    assertThat(output.getOut())
        .contains(
            "An environment variable no part of hookflow reads: HOOKFLOW_HOOK_SECERT"
                + " (systemEnvironment): did you mean HOOKFLOW_HOOK_SECRET?")
        .contains("reads: HOOKFLOW_JVM_OPTS (systemEnvironment)")
        .doesNotContain(VALUE);
  }

  /** The README's configuration table and the settings hookflow reads are the same names. */
  @Test
  void everySettingTheReadmeListsIsKnown() throws IOException {
    Pattern row = Pattern.compile("^\\| (`hookflow\\.[^|]*)\\|", Pattern.MULTILINE);
    Pattern name = Pattern.compile("`(hookflow\\.[a-z0-9.-]+)`");
    Matcher rows = row.matcher(Files.readString(Path.of("README.md")));
    Map<String, String> listed = new java.util.TreeMap<>();
    while (rows.find()) {
      Matcher names = name.matcher(rows.group(1));
      while (names.find()) {
        listed.put(names.group(1), "x");
      }
    }

    assertThat(listed).hasSizeGreaterThan(30);
    check(environment(listed, Map.of()));
  }

  private static StandardEnvironment environment(
      Map<String, ?> arguments, Map<String, Object> variables) {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("commandLineArgs", Map.copyOf(arguments)));
    environment
        .getPropertySources()
        .addLast(
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    return environment;
  }

  private static void check(StandardEnvironment environment) {
    new UnknownSettings(destination -> LogFactory.getLog(UnknownSettings.class))
        .postProcessEnvironment(environment, new SpringApplication());
  }
}
