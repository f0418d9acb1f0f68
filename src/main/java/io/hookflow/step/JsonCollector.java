package io.hookflow.step;

import com.samskivert.mustache.DefaultCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.util.Iterator;
import tools.jackson.databind.JsonNode;

/**
 * Lets templates walk the event's JSON tree as it is, as they walk maps and lists: objects are
 * looked into by field name, arrays iterate, strings, numbers and booleans are their plain values.
 * Turning the tree into maps and lists first cost more than the rest of the rendering.
 */
final class JsonCollector extends DefaultCollector {

  private static final Mustache.VariableFetcher FIELD =
      (context, name) -> {
        JsonNode value = ((JsonNode) context).get(name);
        return value == null ? Template.NO_FETCHER_FOUND : plain(value);
      };

  private static final Mustache.VariableFetcher INDEX =
      (context, name) -> {
        JsonNode array = (JsonNode) context;
        int index = index(name);
        return index < 0 || index >= array.size()
            ? Template.NO_FETCHER_FOUND
            : plain(array.get(index));
      };

  @Override
  public Mustache.VariableFetcher createFetcher(Object context, String name) {
    if (context instanceof JsonNode node) {
      if (node.isObject()) {
        return FIELD;
      }
      if (node.isArray()) {
        return INDEX;
      }
    }
    return super.createFetcher(context, name);
  }

  /**
   * The array index a name stands for (ASCII digits only, as in {@code target.1}), or -1; shared
   * with {@link GetStepHandler} so that a template and a {@code get} step read the same path alike.
   */
  static int index(String name) {
    if (name.isEmpty() || name.length() > 9) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }

  @Override
  public Iterator<?> toIterator(Object value) {
    if (value instanceof JsonNode node) {
      // An object is one context, not the list of its values.
      return node.isArray() ? node.valueStream().map(JsonCollector::plain).iterator() : null;
    }
    return super.toIterator(value);
  }

  /** A scalar as the Java value it stands for; objects and arrays stay nodes. */
  static Object plain(JsonNode value) {
    if (value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isString()) {
      return value.stringValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return value.numberValue();
    }
    return value;
  }
}
