package io.hookflow.console;

import static io.hookflow.Fixtures.delivery;
import static io.hookflow.Fixtures.salesforceUnassignment;
import static io.hookflow.Fixtures.unassignment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hookflow.Fixtures;
import io.hookflow.MailServer;
import io.hookflow.TestInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.node.ObjectNode;

/** The console as an administrator uses it, in a real headless Chromium. */
class ConsoleInChromiumTest {

  static final String SALESFORCE = "Salesforce unassignment notice";

  @TempDir Path dir;
  MailServer smtp;
  TestInstance hookflow;
  WebDriver browser;

  @BeforeEach
  void start() {
    browser = Chromium.start(dir.resolve("chromium-profile"));
    smtp = new MailServer();
    Map<String, String> properties =
        TestInstance.defaultsWithMail(dir, smtp.port(), "salesforce.yaml", "all-apps-html.yaml");
    properties.put("hookflow.runs.retry.max-attempts", "1");
    hookflow = TestInstance.start(properties);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (hookflow != null) {
      hookflow.close();
    }
    if (smtp != null) {
      smtp.close();
    }
  }

  @Test
  void adminSignsInFindsTheFailedRunAndRetriesItUntilItSucceeds() {
    ObjectNode event = salesforceUnassignment();
    hookflow.deliver(delivery(event, unassignment("0oaTestZoom000001", "Zoom")));
    await().until(() -> "failed".equals(hookflow.runState(Fixtures.uuid(event), SALESFORCE)));

    browser.get(hookflow.url("/runs"));
    assertThat(browser.getCurrentUrl()).endsWith("/login");
    browser.findElement(By.id("username")).sendKeys(TestInstance.USER);
    browser.findElement(By.id("password")).sendKeys(TestInstance.PASSWORD);
    browser.findElement(By.id("sign-in")).click();
    await().until(() -> browser.getCurrentUrl().contains("/runs"));
    Chromium.screenshot(browser, "runs-1280");

    new Select(browser.findElement(By.name("state"))).selectByVisibleText("failed");
    new Select(browser.findElement(By.name("flow"))).selectByVisibleText(SALESFORCE);
    browser.findElement(By.cssSelector(".filters button")).click();
    await().until(() -> browser.getCurrentUrl().contains("state=failed"));
    assertThat(browser.findElements(By.cssSelector("table.runs tbody tr"))).hasSize(1);
    click(By.cssSelector("a.run-link"));

    assertThat(text(By.id("run-state"))).isEqualTo("failed");
    assertThat(browser.findElement(By.id("run-error")).getText()).contains("cannot connect");
    assertThat(browser.findElement(By.cssSelector(".message .subject")).getText())
        .isEqualTo("Morgan Blake unassigned from Salesforce.com");
    Chromium.screenshot(browser, "run-failed-1280");

    smtp.start();
    browser.findElement(By.id("retry")).click();

    assertThat(text(By.cssSelector(".notice"))).contains("Retry queued");
    // The page reloads itself while the run is under way: no refreshing by hand.
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> browser.findElement(By.id("run-state")).getText().equals("succeeded"));
    assertThat(browser.findElement(By.id("run-attempts")).getText()).isEqualTo("2");
    assertThat(browser.findElements(By.id("retry"))).isEmpty();
    assertThat(smtp.greenMail().getReceivedMessages()).isNotEmpty();
    Chromium.screenshot(browser, "run-succeeded-1280");

    click(By.linkText("Flows"));
    click(By.linkText(SALESFORCE));
    new Select(browser.findElement(By.name("eventUuid")))
        .selectByContainsVisibleText("Salesforce.com");
    browser.findElement(By.id("try-it")).click();
    assertThat(text(By.cssSelector("#result .subject")))
        .isEqualTo("Morgan Blake unassigned from Salesforce.com");
    Chromium.screenshot(browser, "flow-tried-1280");
    browser.navigate().back();

    String run = browser.getCurrentUrl();
    browser.manage().window().setSize(new Dimension(390, 844));
    for (String page :
        new String[] {
          run,
          hookflow.url("/"),
          hookflow.url("/runs"),
          hookflow.url("/events"),
          hookflow.url("/flows"),
          hookflow.url("/flows/" + SALESFORCE.replace(" ", "%20"))
        }) {
      browser.get(page);
      Chromium.screenshot(browser, "phone-" + page.replaceAll(".*/", "").replace("%20", "-"));
      assertThat(pageWidth())
          .as("no sideways scrolling on a phone: " + page + " " + overflowing())
          .isLessThanOrEqualTo(viewportWidth());
    }
    browser.get(run);
    Chromium.screenshot(browser, "run-phone");
    browser.get(hookflow.url("/"));
    Chromium.screenshot(browser, "overview-phone");
    browser.manage().window().setSize(new Dimension(1280, 800));
    browser.get(hookflow.url("/"));
    Chromium.screenshot(browser, "overview-1280");
    browser.get(hookflow.url("/events"));
    Chromium.screenshot(browser, "events-1280");
  }

  /** Clicks an element once the page that has it is there. */
  private void click(By locator) {
    await()
        .ignoreExceptions()
        .until(
            () -> {
              browser.findElement(locator).click();
              return true;
            });
  }

  /** The text of an element, once the page that has it is there. */
  private String text(By locator) {
    return await()
        .ignoreExceptions()
        .until(() -> browser.findElement(locator).getText(), text -> !text.isEmpty());
  }

  /** The elements wider than their box, for a failure message. */
  private Object overflowing() {
    return ((JavascriptExecutor) browser)
        .executeScript(
            "return [...document.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth"
                + " + 1 && getComputedStyle(e).overflowX !== 'auto').map(e => e.tagName + '.' +"
                + " e.className + ':' + e.scrollWidth + '/' + e.clientWidth).join(' ')");
  }

  private long pageWidth() {
    return (Long)
        ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth");
  }

  private long viewportWidth() {
    return (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
  }
}
