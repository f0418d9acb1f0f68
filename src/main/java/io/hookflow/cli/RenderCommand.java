package io.hookflow.cli;

import io.hookflow.event.InvalidEventException;
import io.hookflow.event.OktaEvent;
import io.hookflow.flow.Flow;
import io.hookflow.flow.FlowDefinitionException;
import io.hookflow.flow.FlowLoader;
import io.hookflow.flow.Flows;
import io.hookflow.mail.Headers;
import io.hookflow.step.DryRun;
import io.hookflow.step.OktaUserStep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Prints the emails a flow would send for an event, sending nothing. */
class RenderCommand implements Command {

  @Override
  public String usage() {
    return "render FLOW EVENT.json [--flows DIR] [--from ADDRESS]\n"
        + "                      print the emails flow FLOW (a name in DIR, default\n"
        + "                      $HOOKFLOW_FLOWS or ./flows, or a flow file) would send for the\n"
        + "                      Okta event (or hook delivery) in EVENT.json; nothing is sent";
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) {
    Options options = new Options(args, Set.of("flows", "from"));
    if (options.positional().size() != 2) {
      err.println("usage: java -jar hookflow.jar " + usage());
      return 2;
    }
    JsonMapper json = JsonMapper.builder().build();
    try {
      Flow flow =
          flow(options.positional().get(0), Path.of(options.get("flows", Command.flowsFolder())));
      List<Integer> oktaSteps = flow.stepNumbers(OktaUserStep.class);
      if (!oktaSteps.isEmpty()) {
        err.println(
            "render does not call Okta, and step "
                + oktaSteps.get(0)
                + " (okta-user) of this flow reads a user from it: preview the flow with the"
                + " console's Try it, where the service has its Okta connection");
        return 1;
      }
      OktaEvent event = event(json, Path.of(options.positional().get(1)));
      flow.trigger()
          .whyNot(event)
          .ifPresent(why -> err.println("note: this event would not start the flow: " + why));
      String from = options.get("from", "hookflow@localhost");
      Headers.sender(from, "--from");
      DryRun.Result result =
          DryRun.offline(json, from, "hookflow.local").run(flow.name(), flow.steps(), event);
      for (Map<String, Object> email : result.emails()) {
        print(email, out);
      }
      if (result.error() != null) {
        err.println("the flow stops: " + result.error());
        return 1;
      }
      out.println(result.emails().size() + " email(s) rendered, none sent");
      return 0;
    } catch (FlowDefinitionException e) {
      e.problems().forEach(err::println);
      return 1;
    } catch (IllegalArgumentException | InvalidEventException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private static Flow flow(String name, Path folder) {
    Path file = Path.of(name);
    if (Files.isRegularFile(file)) {
      Flows one = FlowLoader.loadFile(file);
      return one.all().get(0);
    }
    Optional<Flow> named = FlowLoader.load(folder).named(name);
    return named.orElseThrow(
        () ->
            new IllegalArgumentException(
                "no flow file " + name + " and no flow named '" + name + "' in " + folder));
  }

  private static OktaEvent event(JsonMapper json, Path file) {
    JsonNode node;
    try {
      node = json.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": malformed JSON: " + e.getOriginalMessage());
    }
    JsonNode delivered = node.path("data").path("events").path(0);
    return OktaEvent.of(delivered.isObject() ? delivered : node, file.toString());
  }

  private static void print(Map<String, Object> email, PrintStream out) {
    out.println("Message-ID: " + email.get("messageId"));
    out.println("From: " + email.get("from"));
    out.println("To: " + String.join(", ", addresses(email.get("to"))));
    if (!addresses(email.get("cc")).isEmpty()) {
      out.println("Cc: " + String.join(", ", addresses(email.get("cc"))));
    }
    if (!addresses(email.get("bcc")).isEmpty()) {
      out.println("Bcc: " + String.join(", ", addresses(email.get("bcc"))));
    }
    out.println("Subject: " + email.get("subject"));
    out.println("Content-Type: " + email.get("contentType") + "; charset=UTF-8");
    out.println();
    out.println(email.get("body"));
    out.println();
  }

  @SuppressWarnings("unchecked")
  private static List<String> addresses(Object value) {
    return value == null ? List.of() : (List<String>) value;
  }
}
