package io.hookflow.cli;

import io.hookflow.flow.Flow;
import io.hookflow.flow.FlowDefinitionException;
import io.hookflow.flow.FlowLoader;
import io.hookflow.flow.Flows;
import io.hookflow.step.OktaUserStep;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks flow files as start-up does, without starting anything. */
class ValidateCommand implements Command {

  @Override
  public String usage() {
    return "validate [DIR|FILE]   check the flow files of DIR (default $HOOKFLOW_FLOWS or ./flows), or one file";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() > 1) {
      throw new IllegalArgumentException("one folder or file at a time");
    }
    if (!args.isEmpty() && args.get(0).startsWith("--")) {
      // --hookflow.flows=DIR, as the service takes it, would otherwise be read as a folder's name
      throw new IllegalArgumentException(
          "unknown option "
              + args.get(0)
              + "; validate takes the folder or file itself: validate DIR (default"
              + " $HOOKFLOW_FLOWS or ./flows)");
    }
    Path folder = Path.of(args.isEmpty() ? Command.flowsFolder() : args.get(0));
    try {
      Flows flows =
          Files.isRegularFile(folder) ? FlowLoader.loadFile(folder) : FlowLoader.load(folder);
      if (flows.all().isEmpty()) {
        // a check that checked nothing (the wrong folder, or files named .txt) must not pass as
        // one that found every flow valid
        err.println(folder + ": no flow files (*.yaml, *.yml) in this folder");
        return 1;
      }
      flows.all().forEach(flow -> out.println("ok  " + flow.file() + ": " + flow.name()));
      // The service refuses to start with these and no Okta connection; that connection is the
      // service's setting, which this check does not read.
      for (Flow flow : flows.all()) {
        for (int step : flow.stepNumbers(OktaUserStep.class)) {
          out.println(
              "note "
                  + flow.file()
                  + ": step "
                  + step
                  + " (okta-user) needs an Okta connection where the service runs"
                  + " (hookflow.okta.org-url and its credentials), or the service does not start");
        }
      }
      out.println(flows.all().size() + " flow(s) valid");
      return 0;
    } catch (FlowDefinitionException e) {
      e.problems().forEach(err::println);
      err.println(e.problems().size() + " problem(s) found");
      return 1;
    }
  }
}
