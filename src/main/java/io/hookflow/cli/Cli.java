package io.hookflow.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jar's commands: {@code java -jar hookflow.jar COMMAND ...}. Without a command the jar runs
 * the service.
 */
public final class Cli {

  private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("validate", new ValidateCommand());
    COMMANDS.put("okta", new OktaCommand());
    COMMANDS.put("render", new RenderCommand());
    COMMANDS.put("runs", new RunsCommand());
    COMMANDS.put("backup", new BackupCommand());
  }

  private Cli() {}

  /**
   * Whether the arguments name a command (or ask for help) rather than give options for the
   * service.
   */
  public static boolean isCommand(String[] args) {
    return args.length > 0 && (!args[0].startsWith("-") || isHelp(args[0]));
  }

  /** Runs the command the arguments name; the result is the process's exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (isHelp(args[0]) || args[0].equals("help")) {
      usage(out);
      return 0;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("unknown command '" + args[0] + "'");
      usage(err);
      return 2;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("--help") || rest.contains("-h")) {
      out.println("usage: java -jar hookflow.jar " + command.usage());
      return 0;
    }
    try {
      return command.run(rest, out, err);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println("usage: java -jar hookflow.jar " + command.usage());
      return 2;
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static void usage(PrintStream err) {
    err.println("usage: java -jar hookflow.jar [--property=value ...]   run the service");
    COMMANDS.values().forEach(c -> err.println("       java -jar hookflow.jar " + c.usage()));
  }
}
