package io.hookflow.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OAuthServiceAppTest {

  @TempDir Path dir;
  final OktaStub okta = new OktaStub(Clock.systemUTC());

  @AfterEach
  void stop() {
    okta.close();
  }

  @Test
  void aServiceAppWithAPrivateKeyPollsTheSystemLog() throws Exception {
    okta.log(SystemLogPollingTest.events(2));

    try (TestInstance hookflow = TestInstance.start(properties())) {
      await().until(() -> hookflow.count("events") == 2);
    }
    assertThat(okta.requests("/oauth2/v1/token")).isNotEmpty();
  }

  @Test
  void aMissingScopeIsReportedAsSuch() throws Exception {
    okta.app("0oaTestSalesforce01", "Salesforce.com");
    Map<String, String> properties = properties();
    Fixtures.flows(dir.resolve("flows"), "salesforce.yaml");
    properties.put("hookflow.okta.scopes", "okta.logs.read,okta.users.read");

    Throwable thrown = catchThrowable(() -> TestInstance.start(properties));

    assertThat(SettingsFailure.in(thrown))
        .hasMessageContaining("E0000006")
        .hasMessageContaining("scopes");
  }

  private Map<String, String> properties() throws NoSuchAlgorithmException {
    Map<String, String> properties =
        TestInstance.defaults(
            Fixtures.flows(dir.resolve("flows"), "all-apps-html.yaml"), dir.resolve("data"));
    properties.put("hookflow.runs.workers", "0");
    properties.put("hookflow.okta.org-url", okta.orgUrl());
    properties.put("hookflow.okta.client-id", "0oaStubServiceApp01");
    properties.put("hookflow.okta.private-key", pem());
    properties.put("hookflow.okta.poll.enabled", "true");
    properties.put("hookflow.okta.poll.interval", "200ms");
    properties.put("hookflow.okta.poll.since", "P1D");
    return properties;
  }

  private static String pem() throws NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes())
            .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }
}
