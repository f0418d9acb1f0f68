package io.hookflow.step;

/** Gives one kind of step its behaviour. */
public interface StepHandler<S extends Step> {

  Class<S> type();

  StepResult run(S step, RunContext context);
}
