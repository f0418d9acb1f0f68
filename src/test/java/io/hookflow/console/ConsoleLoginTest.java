package io.hookflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookflow.Fixtures;
import io.hookflow.MutableClock;
import io.hookflow.TestInstance;
import io.hookflow.WeakSecretException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ConsoleLoginTest {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @TempDir Path dir;

  @Test
  void withoutAConfiguredPasswordOneIsGeneratedKeptHashedAndGivenInAFileNotTheLog(
      CapturedOutput output) throws Exception {
    Map<String, String> properties = properties();
    properties.remove("hookflow.console.password");
    properties.put("logging.level.io.hookflow.console.ConsoleCredentials", "INFO");
    Path data = dir.resolve("data");
    Path initial = data.resolve("initial-console-password");
    String password;
    try (TestInstance first = TestInstance.start(properties)) {
      password = Files.readString(initial).strip();
      assertThat(password).hasSizeGreaterThanOrEqualTo(16);
      assertThat(Files.getPosixFilePermissions(initial))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(output.getOut())
          .contains("user 'admin'. Read it from " + initial.toAbsolutePath().normalize())
          .doesNotContain(password);
      assertThat(new ConsoleSession(first).signIn(password).headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    }
    Path stored = data.resolve("console-password");
    assertThat(Files.readString(stored)).startsWith("{bcrypt}").doesNotContain(password);

    try (TestInstance second = TestInstance.start(properties)) {
      assertThat(output.getOut())
          .contains("user 'admin', with the password generated at an earlier start (its hash in")
          .contains(
              "console-password; the password itself in " + initial.toAbsolutePath().normalize())
          .doesNotContain(password);
      assertThat(new ConsoleSession(second).signIn(password).headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    }

    // Deleted once read, as the log says: the password stays, and so does its hash.
    Files.delete(initial);
    try (TestInstance third = TestInstance.start(properties)) {
      assertThat(new ConsoleSession(third).signIn(password).headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
      assertThat(initial).doesNotExist();
    }
  }

  @Test
  void aShortConfiguredPasswordIsRefusedAtStart() {
    Map<String, String> properties = properties();
    properties.put("hookflow.console.password", "fifteen-chars-1");

    assertThatThrownBy(() -> TestInstance.start(properties))
        .rootCause()
        .isInstanceOf(WeakSecretException.class)
        .hasMessage("hookflow.console.password has 15 characters; hookflow needs at least 16");
  }

  @Test
  void sessionCookieIsHttpOnlyAndSecureBehindATlsProxy() {
    try (TestInstance hookflow = TestInstance.start(properties())) {
      HttpResponse<String> plain = signIn(hookflow, null);
      HttpResponse<String> proxied = signIn(hookflow, "https");

      assertThat(cookie(plain)).contains("HOOKFLOW_SESSION=").contains("HttpOnly");
      assertThat(cookie(plain)).contains("SameSite=Lax").doesNotContain("Secure");
      assertThat(cookie(proxied)).contains("HOOKFLOW_SESSION=").contains("Secure");
    }
  }

  /** Signs in as a browser would, its requests forwarded with this X-Forwarded-Proto if any. */
  private static HttpResponse<String> signIn(TestInstance hookflow, String forwardedProto) {
    HttpRequest.Builder page = hookflow.request("/login");
    if (forwardedProto != null) {
      page.header("X-Forwarded-Proto", forwardedProto);
    }
    HttpResponse<String> form = hookflow.send(page.GET().build());
    Matcher token = CSRF.matcher(form.body());
    assertThat(token.find()).isTrue();
    String csrfCookie =
        form.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(SessionOrCookieCsrfTokens.COOKIE + "="))
            .findFirst()
            .orElseThrow()
            .split(";", 2)[0];
    HttpRequest.Builder post =
        hookflow
            .request("/login")
            .header("Cookie", csrfCookie)
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (forwardedProto != null) {
      post.header("X-Forwarded-Proto", forwardedProto);
    }
    String body =
        "username="
            + TestInstance.USER
            + "&password="
            + URLEncoder.encode(TestInstance.PASSWORD, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(
                token.group(1).replace("&#x3D;", "=").replace("&#61;", "="),
                StandardCharsets.UTF_8);
    return hookflow.send(post.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void passwordsOfferedFasterThanTheyAreCheckedAreRefusedUncheckedAndTheHookStillAnswers() {
    MutableClock clock = MutableClock.Source.CLOCK;
    try (TestInstance hookflow = TestInstance.start(properties(), MutableClock.Source.class)) {
      String wrong =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((TestInstance.USER + ":wrong").getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < RememberedPasswords.CLIENT_CHECKS_AT_ONCE; i++) {
        assertThat(
                hookflow
                    .send(hookflow.request("/api/runs").header("Authorization", wrong).build())
                    .statusCode())
            .isEqualTo(401);
      }

      HttpResponse<String> refused =
          hookflow.send(hookflow.request("/api/runs").header("Authorization", wrong).build());
      HttpResponse<String> signIn = new ConsoleSession(hookflow).signIn(TestInstance.PASSWORD);
      HttpResponse<String> delivery =
          hookflow.deliver(Fixtures.delivery(Fixtures.salesforceUnassignment()));
      // Another client, as a TLS proxy on this host forwards it: its own ration is untouched.
      HttpResponse<String> elsewhere =
          hookflow.send(
              hookflow.api("/api/runs").header("X-Forwarded-For", "198.51.100.20").GET().build());

      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.body())
          .contains("\"status\":429")
          .contains("too many sign-in attempts; try again in a moment");
      assertThat(signIn.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).endsWith("/login?busy"));
      assertThat(hookflow.send(hookflow.request("/login?busy").GET().build()).body())
          .contains("Too many sign-in attempts just now");
      assertThat(delivery.statusCode()).isEqualTo(200);
      assertThat(elsewhere.statusCode()).isEqualTo(200);

      clock.advance(Duration.ofSeconds(1));
      assertThat(new ConsoleSession(hookflow).signIn(TestInstance.PASSWORD).headers())
          .satisfies(
              headers ->
                  assertThat(headers.firstValue("Location"))
                      .hasValueSatisfying(l -> assertThat(l).doesNotContain("login")));
    }
  }

  private static String cookie(HttpResponse<String> response) {
    List<String> cookies = response.headers().allValues("Set-Cookie");
    return cookies.stream().filter(c -> c.startsWith("HOOKFLOW_SESSION=")).findFirst().orElse("");
  }

  private Map<String, String> properties() {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "salesforce.yaml"), dir.resolve("data"));
    properties.put("logging.level.io.hookflow", "INFO");
    return properties;
  }
}
