package io.hookflow.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of the jar's command line, e.g. {@code validate flows/}. */
interface Command {

  /** How it is called, for the usage text. */
  String usage();

  /** Runs with the arguments after the command's name; the result is the exit code. */
  int run(List<String> args, PrintStream out, PrintStream err);

  /**
   * The flows folder when a command is not told one: the service's, as set in its environment
   * ({@code HOOKFLOW_FLOWS}), else {@code ./flows}.
   */
  static String flowsFolder() {
    String configured = System.getenv("HOOKFLOW_FLOWS");
    return configured == null || configured.isBlank() ? "./flows" : configured;
  }
}
