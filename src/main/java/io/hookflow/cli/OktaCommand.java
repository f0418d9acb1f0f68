package io.hookflow.cli;

import io.hookflow.okta.HookSetup;
import io.hookflow.okta.OktaApi;
import io.hookflow.okta.OktaException;
import io.hookflow.okta.OktaSettingsException;
import io.hookflow.okta.OktaStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code okta setup-hook --url URL} and {@code okta status}, on hookflow's configuration and
 * database ({@link CommandContext}).
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
    ConfigurableApplicationContext context;
    try {
      context = CommandContext.start(properties);
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
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof OktaSettingsException) {
        return cause.getMessage();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return CommandContext.rootMessage(e);
  }
}
