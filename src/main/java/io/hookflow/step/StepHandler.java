package io.hookflow.step;

import java.util.concurrent.CompletableFuture;

/** Gives one kind of step its behaviour. */
public interface StepHandler<S extends Step> {

  Class<S> type();

  StepResult run(S step, RunContext context);

  /**
   * Runs the step as the last of its run: its result may come later (a message whose acceptance is
   * read with the next one's), but everything it does has been started when this returns.
   */
  default CompletableFuture<StepResult> runLast(S step, RunContext context) {
    return CompletableFuture.completedFuture(run(step, context));
  }
}
