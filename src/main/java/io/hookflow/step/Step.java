package io.hookflow.step;

/** One card of a flow. Steps are values read from a flow file; handlers give them behaviour. */
public sealed interface Step permits GetStep, ComposeStep, EmailStep, OktaUserStep {

  /** The step's key in a flow file, e.g. {@code compose}. */
  String kind();

  /**
   * Whether running the step again would be seen outside (a second email). Such a step that
   * succeeded in an earlier attempt of a run is not run again; its recorded output is reused.
   */
  default boolean sideEffect() {
    return false;
  }
}
