package io.hookflow.step;

import io.hookflow.event.OktaEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the steps of one run see: the event, the variables named so far (the event's parts and the
 * outputs of earlier steps), and who they are running for.
 */
public final class RunContext {

  private final String runId;
  private final String flow;
  private final OktaEvent event;
  private final Map<String, Object> variables;
  private int stepIndex;

  public RunContext(String runId, String flow, OktaEvent event, Map<String, Object> variables) {
    this.runId = runId;
    this.flow = flow;
    this.event = event;
    this.variables = new LinkedHashMap<>(variables);
  }

  public String runId() {
    return runId;
  }

  public String flow() {
    return flow;
  }

  public OktaEvent event() {
    return event;
  }

  /** The variables templates can name; later steps see what earlier ones added. */
  public Map<String, Object> variables() {
    return variables;
  }

  public int stepIndex() {
    return stepIndex;
  }

  public void atStep(int index) {
    this.stepIndex = index;
  }
}
