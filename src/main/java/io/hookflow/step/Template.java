package io.hookflow.step;

import java.util.Map;

/** A Mustache template with the text it was compiled from. */
public record Template(String source, com.samskivert.mustache.Template compiled) {

  public String render(Map<String, Object> variables) {
    return compiled.execute(variables);
  }

  @Override
  public String toString() {
    return source;
  }
}
