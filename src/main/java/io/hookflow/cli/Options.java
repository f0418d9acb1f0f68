package io.hookflow.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command's arguments: {@code --name value} or {@code --name=value} options, and the rest. */
final class Options {

  private final Map<String, String> named = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  /**
   * @param known the option names the command takes; others are refused
   */
  Options(List<String> args, Set<String> known) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      named.put(name, value);
    }
  }

  String get(String name, String or) {
    return named.getOrDefault(name, or);
  }

  /** The option, else the environment variable, else the default. */
  String get(String name, String environment, String or) {
    String value = named.get(name);
    if (value == null) {
      value = System.getenv(environment);
    }
    return value == null || value.isEmpty() ? or : value;
  }

  Map<String, String> named() {
    return named;
  }

  List<String> positional() {
    return positional;
  }
}
