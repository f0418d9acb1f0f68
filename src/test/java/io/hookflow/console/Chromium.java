package io.hookflow.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through its chromedriver (Selenium Manager cannot download browsers
 * here). {@code .ci/run} installs both; elsewhere the tests that need them are skipped.
 */
final class Chromium {

  static final String BROWSER =
      System.getenv().getOrDefault("HOOKFLOW_CHROMIUM", "/usr/bin/chromium");
  static final String DRIVER =
      System.getenv().getOrDefault("HOOKFLOW_CHROMEDRIVER", "/usr/bin/chromedriver");

  private Chromium() {}

  static WebDriver start(Path profile) {
    boolean installed = Files.isExecutable(Path.of(BROWSER)) && Files.isExecutable(Path.of(DRIVER));
    String missing =
        "needs " + BROWSER + " and " + DRIVER + " (apt-get install chromium chromium-driver)";
    // A developer without a browser skips this test; CI (which installs one) must never skip it.
    if ("true".equals(System.getenv("CI"))) {
      Assertions.assertTrue(installed, missing);
    }
    Assumptions.assumeTrue(installed, missing);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=1280,800");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /** Keeps a screenshot under target/screenshots for people to look at. */
  static void screenshot(WebDriver driver, String name) {
    try {
      Path folder = Files.createDirectories(Path.of("target", "screenshots"));
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), folder.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
