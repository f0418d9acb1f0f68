package io.hookflow.step;

import io.hookflow.HookflowProperties;
import io.hookflow.event.OktaEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a flow's steps for an event without effects outside: emails are rendered with the same
 * templates and renderer as a real run, and never sent.
 */
@Component
public class DryRun {

  private final StepRunner steps;
  private final Variables variables;
  private final EmailRenderer renderer;

  @Autowired
  DryRun(StepRunner steps, Variables variables, HookflowProperties properties) {
    this(steps, variables, properties.mail().from(), properties.mail().messageIdDomain());
  }

  private DryRun(StepRunner steps, Variables variables, String from, String messageIdDomain) {
    this.steps = steps;
    this.variables = variables;
    this.renderer = new EmailRenderer(from, messageIdDomain);
  }

  /** A dry run outside the service, as the command line's {@code render} does it. */
  public static DryRun offline(JsonMapper json, String from, String messageIdDomain) {
    Variables variables = new Variables(json);
    StepRunner effectless =
        new StepRunner(List.of(new GetStepHandler(variables), new ComposeStepHandler()));
    return new DryRun(effectless, variables, from, messageIdDomain);
  }

  /**
   * What one step did.
   *
   * @param status {@code done}; {@code rendered} for an email that a run would send; {@code retry}
   *     or {@code failed}
   */
  public record StepPreview(
      int index, String kind, String status, Object input, Object output, String error) {}

  /**
   * The steps as far as they went, and the emails a run would send.
   *
   * @param error why the steps stopped early, or null
   */
  public record Result(List<StepPreview> steps, List<Map<String, Object>> emails, String error) {}

  public Result run(String flow, List<Step> flowSteps, OktaEvent event) {
    RunContext context = new RunContext("dry-run", flow, event, variables.of(event));
    List<StepPreview> previews = new ArrayList<>();
    List<Map<String, Object>> emails = new ArrayList<>();
    for (int i = 0; i < flowSteps.size(); i++) {
      Step step = flowSteps.get(i);
      context.atStep(i);
      if (step instanceof EmailStep email) {
        EmailRenderer.Rendered rendered = renderer.render(email, context);
        if (rendered.error() != null) {
          previews.add(preview(i, step, "failed", rendered.input(), null, rendered.error()));
          return new Result(previews, emails, rendered.error());
        }
        previews.add(preview(i, step, "rendered", rendered.input(), Map.of(), null));
        emails.add(rendered.input());
        continue;
      }
      StepResult result;
      try {
        result = steps.run(step, context);
      } catch (RuntimeException e) {
        result = new StepResult.Failed(null, step.kind() + " step failed: " + e.getMessage());
      }
      if (result instanceof StepResult.Done done) {
        previews.add(preview(i, step, "done", done.input(), done.output(), null));
        context.variables().putAll(done.output());
      } else if (result instanceof StepResult.RetryLater later) {
        previews.add(preview(i, step, "retry", later.input(), null, later.error()));
        return new Result(previews, emails, later.error());
      } else if (result instanceof StepResult.Failed failed) {
        previews.add(preview(i, step, "failed", failed.input(), null, failed.error()));
        return new Result(previews, emails, failed.error());
      }
    }
    return new Result(previews, emails, null);
  }

  private static StepPreview preview(
      int index, Step step, String status, Object input, Object output, String error) {
    return new StepPreview(index, step.kind(), status, input, output, error);
  }
}
