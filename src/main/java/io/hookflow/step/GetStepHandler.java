package io.hookflow.step;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

@Component
class GetStepHandler implements StepHandler<GetStep> {

  private final Variables variables;

  GetStepHandler(Variables variables) {
    this.variables = variables;
  }

  @Override
  public Class<GetStep> type() {
    return GetStep.class;
  }

  @Override
  public StepResult run(GetStep step, RunContext context) {
    Map<String, Object> output = new LinkedHashMap<>();
    step.fields()
        .forEach(
            (name, path) -> output.put(name, variables.plain(at(context.event().json(), path))));
    return new StepResult.Done(step.fields(), output);
  }

  /** The value at a dot path such as {@code target.1.alternateId}, or null. */
  static JsonNode at(JsonNode root, String path) {
    JsonNode node = root;
    for (String segment : path.split("\\.")) {
      if (node == null) {
        return null;
      }
      int index = node.isArray() ? JsonCollector.index(segment) : -1;
      node = index >= 0 ? node.get(index) : node.get(segment);
    }
    return node;
  }
}
