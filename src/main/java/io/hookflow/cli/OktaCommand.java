package io.hookflow.cli;

import io.hookflow.HookflowApplication;
import io.hookflow.okta.HookSetup;
import io.hookflow.okta.OktaApi;
import io.hookflow.okta.OktaException;
import io.hookflow.okta.OktaSettingsException;
import io.hookflow.okta.OktaStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code okta setup-hook --url URL} and {@code okta status}: hookflow's configuration (properties,
 * environment, {@code --name=value} arguments) with its database, without serving or running
 * anything.
 */
class OktaCommand implements Command {

  static final String DEFAULT_NAME = "hookflow";

  @Override
  public String usage() {
    return "okta setup-hook --url URL [--name NAME]   create or update and verify Okta's event hook\n"
        + "       java -jar hookflow.jar okta status        show event hooks and the poller's cursor";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || !List.of("setup-hook", "status").contains(args.get(0))) {
      err.println("usage: java -jar hookflow.jar " + usage());
      return 2;
    }
    String url = null;
    String name = DEFAULT_NAME;
    List<String> properties = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--url") || arg.equals("--name")) {
        if (i + 1 >= args.size()) {
          err.println(arg + " needs a value");
          return 2;
        }
        if (arg.equals("--url")) {
          url = args.get(++i);
        } else {
          name = args.get(++i);
        }
      } else if (arg.startsWith("--url=")) {
        url = arg.substring("--url=".length());
      } else if (arg.startsWith("--name=")) {
        name = arg.substring("--name=".length());
      } else if (arg.startsWith("--") && arg.contains("=")) {
        properties.add(arg);
      } else {
        err.println("unknown argument '" + arg + "'");
        return 2;
      }
    }
    if (args.get(0).equals("setup-hook") && (url == null || url.isBlank())) {
      err.println(
          "okta setup-hook needs --url, e.g. --url https://hookflow.example.com/hooks/okta");
      return 2;
    }
    if (properties.stream().noneMatch(p -> p.startsWith("--logging.level.root="))) {
      properties.add("--logging.level.root=WARN"); // the command's own output is what matters
    }
    properties.add("--hookflow.okta.poll.enabled=false");
    properties.add("--hookflow.runs.workers=0");
    properties.add("--spring.main.banner-mode=off");
    quietFailedStart(properties);
    ConfigurableApplicationContext context;
    try {
      context =
          new SpringApplicationBuilder(HookflowApplication.class)
              .web(WebApplicationType.NONE)
              .logStartupInfo(false)
              .run(properties.toArray(String[]::new));
    } catch (RuntimeException e) {
      err.println("cannot start: " + rootMessage(e));
      return 1;
    }
    try (context) {
      return args.get(0).equals("status")
          ? (context.getBean(OktaStatus.class).print(out) ? 0 : 1)
          : setUp(context, url, name, out, err);
    }
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

  private static int setUp(
      ConfigurableApplicationContext context,
      String url,
      String name,
      PrintStream out,
      PrintStream err) {
    HookSetup setup;
    try {
      setup = context.getBean(HookSetup.class);
    } catch (NoSuchBeanDefinitionException e) {
      err.println(OktaApi.NOT_CONNECTED);
      return 2;
    }
    HookSetup.Result result;
    try {
      result = setup.setUp(url, name);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (OktaException e) {
      err.println(e.getMessage());
      return 1;
    }
    out.println(
        (result.created() ? "created" : "updated")
            + " event hook '"
            + result.name()
            + "' ("
            + result.id()
            + ") for "
            + url);
    out.println("  events: " + String.join(", ", result.eventTypes()));
    result.filters().forEach((type, filter) -> out.println("  filter " + type + ": " + filter));
    if (result.verified()) {
      out.println("  verified: Okta reached the hook and it answered the challenge");
      return 0;
    }
    err.println("  NOT verified: " + result.verification());
    err.println(
        "  Okta must reach "
            + url
            + " and get the challenge back: is hookflow running there, with the same secret?");
    return 1;
  }

  /** What stopped the start: a wrong Okta setting as hookflow words it, else the root cause. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof OktaSettingsException) {
        return root.getMessage();
      }
      root = root.getCause();
    }
    return root.getMessage();
  }
}
