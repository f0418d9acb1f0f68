package io.hookflow.console;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.unassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.MailServer;
import io.hookflow.TestInstance;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class ConsolePagesTest {

  static final String SALESFORCE = "Salesforce unassignment notice";

  @TempDir Path dir;
  MailServer smtp;
  TestInstance hookflow;
  ConsoleSession browser;

  @BeforeEach
  void start() {
    smtp = new MailServer();
    Map<String, String> properties =
        TestInstance.defaultsWithMail(
            dir, smtp.port(), "salesforce.yaml", "chosen-apps.yaml", "all-apps-html.yaml");
    properties.put("hookflow.runs.retry.max-attempts", "1");
    properties.putAll(database());
    hookflow = TestInstance.start(properties);
    browser = new ConsoleSession(hookflow);
  }

  /** Settings for the store under test; the embedded SQLite unless a subclass says otherwise. */
  Map<String, String> database() {
    return Map.of();
  }

  @AfterEach
  void stop() {
    hookflow.close();
    smtp.close();
  }

  @Test
  void pagesNeedSigningIn() {
    HttpResponse<String> anonymous = browser.get("/runs");
    HttpResponse<String> wrong = browser.signIn("wrong");

    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
    assertThat(wrong.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
    assertThat(browser.get("/").statusCode()).isEqualTo(302);
  }

  @Test
  void anAddressWithNothingBehindItIsAPageForABrowserAndJsonForAnyOtherClient() {
    browser.signIn(TestInstance.PASSWORD);

    HttpResponse<String> page =
        browser.get("/no-such-page", "text/html,application/xhtml+xml,*/*;q=0.8");
    HttpResponse<String> api = hookflow.send(hookflow.api("/api/no-such-thing").GET().build());

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body())
        .contains("<h1>Not Found</h1>")
        .containsPattern("name=\"_csrf\" value=\"[^\"]+\"");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(api.body())
        .isEqualTo("{\"status\":404,\"error\":\"Not Found\",\"message\":\"Not Found\"}");
  }

  @Test
  void anErrorPageStillLetsTheAdministratorSignOut() {
    browser.signIn(TestInstance.PASSWORD);

    HttpResponse<String> page = browser.get("/runs/no-such-run", "text/html");

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).containsPattern("name=\"_csrf\" value=\"[^\"]+\"");
    HttpResponse<String> signedOut = browser.submit("/runs/no-such-run", "/logout", Map.of());
    assertThat(signedOut.statusCode()).isEqualTo(302);
    assertThat(signedOut.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/login?logout"));
  }

  @Test
  void pageLinksKeepThePageSize() {
    for (int i = 0; i < 3; i++) {
      hookflow.deliver(delivery(salesforceUnassignment()));
    }
    browser.signIn(TestInstance.PASSWORD);

    String first = browser.get("/runs?size=1").body();
    String events = browser.get("/events?size=2").body();

    // As the page writes it: every '=' and '&' escaped.
    assertThat(first).contains("href=\"/runs?size&#x3D;1&amp;page&#x3D;2\" rel=\"next\"");
    assertThat(events).contains("href=\"/events?size&#x3D;2&amp;page&#x3D;2\" rel=\"next\"");
  }

  @Test
  void formsWithoutTheCsrfTokenAreRefused() {
    browser.signIn(TestInstance.PASSWORD);

    HttpResponse<String> forged = browser.post("/runs/any/retry", Map.of());

    assertThat(forged.statusCode()).isEqualTo(403);
  }

  @Test
  void failedRunIsFoundExplainedAndRetriedFromTheConsole() {
    ObjectNode event = salesforceUnassignment();
    hookflow.deliver(delivery(event));
    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), SALESFORCE)));
    assertThat(browser.signIn(TestInstance.PASSWORD).headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));

    String overview = browser.get("/").body();
    assertThat(overview)
        .contains("Newest failures")
        .contains(SALESFORCE)
        .contains("smtp://127.0.0.1");
    String list = browser.get("/runs?state=failed&user=morgan").body();
    assertThat(list)
        .contains(SALESFORCE)
        .contains("state-failed")
        .contains("<option value=\"" + SALESFORCE + "\" >")
        .contains("<option value=\"failed\" selected>");
    String id =
        hookflow
            .jdbc()
            .sql("SELECT id FROM runs WHERE flow = ?")
            .param(SALESFORCE)
            .query(String.class)
            .single();
    String detail = browser.get("/runs/" + id).body();
    assertThat(detail)
        .contains("cannot connect")
        .contains("Morgan Blake unassigned from Salesforce.com")
        .contains("audit@example.test")
        .contains("id=\"retry\"")
        .contains("&quot;eventType&quot; : &quot;application.user_membership.remove&quot;");

    smtp.start();
    HttpResponse<String> retried =
        browser.submit("/runs/" + id, "/runs/" + id + "/retry", Map.of());

    assertThat(retried.statusCode()).isEqualTo(302);
    assertThat(browser.get("/runs/" + id).body()).contains("Retry queued");
    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(event), SALESFORCE)));
    assertThat(browser.get("/runs/" + id).body())
        .contains("Attempt 2")
        .contains("sent")
        .doesNotContain("id=\"retry\"");
  }

  @Test
  void theFailedRunsAListShowsAreRetriedInOneGo() {
    ObjectNode first = salesforceUnassignment();
    ObjectNode second = salesforceUnassignment();
    hookflow.deliver(delivery(first));
    hookflow.deliver(delivery(second));
    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(first), SALESFORCE)));
    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(second), SALESFORCE)));
    browser.signIn(TestInstance.PASSWORD);

    assertThat(browser.get("/runs?flow=" + Show.encode(SALESFORCE)).body())
        .as("only a list of failed runs offers it")
        .doesNotContain("id=\"retry-all\"");
    String list = "/runs?state=failed&flow=" + Show.encode(SALESFORCE);
    assertThat(browser.get(list).body()).contains("Retry these 2 failed runs");

    smtp.start();
    HttpResponse<String> retried =
        browser.submit(list, "/runs/retry", Map.of("flow", SALESFORCE, "user", ""));

    assertThat(retried.statusCode()).isEqualTo(302);
    assertThat(retried.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/runs?flow=").contains("state=failed"));
    assertThat(browser.get(list).body()).contains("2 failed run(s) queued");
    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(first), SALESFORCE)));
    await().until(() -> "succeeded".equals(hookflow.runState(Fixtures.uuid(second), SALESFORCE)));
    assertThat(browser.get(list).body()).contains("No runs match.").doesNotContain("retry-all");
  }

  @Test
  void eventsPageSaysWhyNoFlowMatched() {
    smtp.start();
    ObjectNode deactivation =
        (ObjectNode) Fixtures.JSON.readTree(Fixtures.resource("events/user-deactivate.json"));
    deactivation.put("uuid", java.util.UUID.randomUUID().toString());
    hookflow.deliver(delivery(unassignment("0oaTestZoom000001", "Zoom"), deactivation));
    browser.signIn(TestInstance.PASSWORD);

    String events = browser.get("/events").body();

    assertThat(events)
        .contains("Zoom")
        .contains("Notice to the user")
        .contains("<li>no flow is triggered by event type user.lifecycle.deactivate</li>");
  }

  @Test
  void flowsCanBeTriedOnAPastedEventWithoutSending() {
    smtp.start();
    browser.signIn(TestInstance.PASSWORD);
    assertThat(browser.get("/flows").body()).contains(SALESFORCE).contains("Salesforce.com");
    String link = "/flows/" + SALESFORCE.replace(" ", "%20");
    String pasted =
        Fixtures.JSON.writeValueAsString(
            Fixtures.withUserName(salesforceUnassignment(), "Kim <b>Tester</b>"));

    HttpResponse<String> tried = browser.submit(link, link + "/try", Map.of("eventJson", pasted));

    assertThat(tried.statusCode()).isEqualTo(200);
    assertThat(tried.body())
        .contains("This event would start the flow")
        .contains("Kim &lt;b&gt;Tester&lt;/b&gt; unassigned from Salesforce.com");
    assertThat(smtp.greenMail().getReceivedMessages()).isEmpty();
    assertThat(hookflow.count("events")).isZero();
  }
}
