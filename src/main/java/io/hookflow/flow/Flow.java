package io.hookflow.flow;

import io.hookflow.step.Step;
import java.nio.file.Path;
import java.util.List;

/**
 * A flow read from a YAML file: when it runs and what it does.
 *
 * @param name unique among the flows; runs refer to their flow by it
 * @param file where it was read from
 */
public record Flow(String name, Path file, Trigger trigger, List<Step> steps) {}
