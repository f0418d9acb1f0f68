package io.hookflow.step;

import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class ComposeStepHandler implements StepHandler<ComposeStep> {

  @Override
  public Class<ComposeStep> type() {
    return ComposeStep.class;
  }

  @Override
  public StepResult run(ComposeStep step, RunContext context) {
    String text = step.text().render(context.variables());
    return new StepResult.Done(step.text().source(), Map.of(step.name(), text));
  }
}
