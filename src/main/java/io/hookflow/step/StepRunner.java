package io.hookflow.step;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/** Runs any step with the handler for its kind. */
@Component
public class StepRunner {

  private final Map<Class<?>, StepHandler<?>> handlers = new HashMap<>();

  StepRunner(List<StepHandler<?>> handlers) {
    handlers.forEach(handler -> this.handlers.put(handler.type(), handler));
  }

  public StepResult run(Step step, RunContext context) {
    return handlerOf(step).run(step, context);
  }

  /** Runs the last step of a run, whose result may come later ({@link StepHandler#runLast}). */
  public CompletableFuture<StepResult> runLast(Step step, RunContext context) {
    return handlerOf(step).runLast(step, context);
  }

  @SuppressWarnings("unchecked")
  private <S extends Step> StepHandler<S> handlerOf(S step) {
    StepHandler<?> handler = handlers.get(step.getClass());
    if (handler == null) {
      throw new IllegalStateException("no handler for step " + step.kind());
    }
    return (StepHandler<S>) handler;
  }
}
