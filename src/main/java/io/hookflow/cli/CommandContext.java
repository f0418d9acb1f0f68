package io.hookflow.cli;

import io.hookflow.HookflowApplication;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * hookflow's configuration (properties, environment, {@code --name=value} arguments) with its
 * database, started for a command: nothing served, polled or run.
 */
final class CommandContext {

  private CommandContext() {}

  /**
   * Starts it with the command's {@code --name=value} arguments.
   *
   * @throws RuntimeException what stopped the start
   */
  static ConfigurableApplicationContext start(List<String> arguments) {
    List<String> properties = new ArrayList<>(arguments);
    if (properties.stream().noneMatch(p -> p.startsWith("--logging.level.root="))) {
      properties.add("--logging.level.root=WARN"); // the command's own output is what matters
    }
    properties.add("--hookflow.okta.poll.enabled=false");
    properties.add("--hookflow.runs.workers=0");
    properties.add("--spring.main.banner-mode=off");
    quietFailedStart(properties);
    return new SpringApplicationBuilder(HookflowApplication.class)
        .web(WebApplicationType.NONE)
        .logStartupInfo(false)
        .run(properties.toArray(String[]::new));
  }

  /** The message of what lies at the root of {@code e}: what stopped a start, or a command. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /**
   * Spring logs a start that failed with its whole stack trace, also before its logging is set up
   * (a database that is not there is found then), and so whatever the level above; the command says
   * what failed in one line ("cannot start: …"), and failure analyzers still report theirs.
   */
  private static void quietFailedStart(List<String> properties) {
    String logger = "logging.level." + SpringApplication.class.getName();
    if (properties.stream().anyMatch(p -> p.startsWith("--" + logger + "="))) {
      return;
    }
    properties.add("--" + logger + "=OFF");
    if (LoggerFactory.getLogger(SpringApplication.class)
        instanceof ch.qos.logback.classic.Logger before) {
      before.setLevel(ch.qos.logback.classic.Level.OFF);
    }
  }
}
