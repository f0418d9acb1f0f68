package io.hookflow;

import io.hookflow.console.ConsoleProperties;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.logging.Log;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses to start on a {@code hookflow.*} setting that nothing reads: misspelt, it would be
 * ignored and its default taken, and for {@code hookflow.hook.secert} that default is a generated
 * secret Okta does not know. The message names the setting, where it came from and the nearest
 * known one, never its value. Environment variables are only warned of: {@code HOOKFLOW_*} names
 * may belong to scripts around hookflow ({@code HOOKFLOW_JVM_OPTS}).
 */
class UnknownSettings implements EnvironmentPostProcessor, Ordered {

  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("hookflow");

  /** Read with {@code @Value} rather than bound to the settings' records. */
  private static final Set<String> READ_ELSEWHERE =
      Set.of("hookflow.retention-interval", "hookflow.retention-initial-delay");

  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(3);

  private final Log log;

  UnknownSettings(DeferredLogFactory logs) {
    this.log = logs.getLog(UnknownSettings.class);
  }

  /** After the configuration files are read, before the data folder is made. */
  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE - 1;
  }

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Boolean> known = known();
    List<String> refused = new ArrayList<>();
    List<String> warned = new ArrayList<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource names)) {
        continue;
      }
      boolean variables = isEnvironmentVariables(source.getUnderlyingSource());
      names.stream()
          .filter(ROOT::isAncestorOf)
          .filter(name -> !isKnown(name, known))
          .forEach(
              name -> {
                String told = told(name, source.getConfigurationProperty(name), known, variables);
                if (variables) {
                  log.warn("An environment variable no part of hookflow reads: " + told);
                  warned.add(told);
                } else {
                  refused.add(told);
                }
              });
    }
    if (!refused.isEmpty()) {
      // The warnings above are never shown when the start fails: they go with the refusal.
      throw new UnknownSettingException(refused, warned);
    }
  }

  private static boolean isEnvironmentVariables(Object source) {
    return source instanceof PropertySource<?> propertySource
        && StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(
            propertySource.getName());
  }

  /**
   * Every setting hookflow reads, by its dashed name ({@code hookflow.mail.message-id-domain}),
   * each marked whether it takes a list or map, whose entries have names of their own under it.
   * Names are compared without their dashes and dots, as an environment variable gives them ({@code
   * HOOKFLOW_MAIL_MESSAGE_ID_DOMAIN}).
   */
  static Map<String, Boolean> known() {
    Map<String, Boolean> known = new TreeMap<>();
    collect("hookflow", HookflowProperties.class, known);
    collect("hookflow.console", ConsoleProperties.class, known);
    READ_ELSEWHERE.forEach(name -> known.put(name, false));
    return known;
  }

  private static void collect(String prefix, Class<?> type, Map<String, Boolean> known) {
    for (RecordComponent component : type.getRecordComponents()) {
      String name = prefix + "." + dashed(component.getName());
      Class<?> value = component.getType();
      if (value.isRecord()) {
        collect(name, value, known);
      } else {
        known.put(name, List.class.isAssignableFrom(value) || Map.class.isAssignableFrom(value));
      }
    }
  }

  private static boolean isKnown(ConfigurationPropertyName name, Map<String, Boolean> known) {
    String given = squashed(name.toString());
    String group = name + ".";
    for (Map.Entry<String, Boolean> setting : known.entrySet()) {
      String one = squashed(setting.getKey());
      if (given.equals(one)
          || (setting.getValue() && given.startsWith(one))
          || setting.getKey().startsWith(group)) { // an empty group in YAML: "hook: {}"
        return true;
      }
    }
    return false;
  }

  /** The setting's name, where it came from, and the nearest one hookflow reads, if near. */
  private static String told(
      ConfigurationPropertyName name,
      ConfigurationProperty property,
      Map<String, Boolean> known,
      boolean variable) {
    Origin origin = property == null ? null : property.getOrigin();
    String written = name.toString();
    String where = origin == null ? null : origin.toString();
    if (origin instanceof PropertySourceOrigin inSource) {
      // As the user wrote it (unless it came inside another, SPRING_APPLICATION_JSON), and the file
      // and line where known, else the source's name.
      where =
          inSource.getOrigin() != null
              ? inSource.getOrigin().toString()
              : inSource.getPropertySource().getName();
      if (squashed(inSource.getPropertyName()).equals(squashed(written))) {
        written = inSource.getPropertyName();
      } else {
        where = "in " + inSource.getPropertyName() + ", " + where;
      }
    }
    StringBuilder told = new StringBuilder(written);
    if (where != null) {
      told.append(" (").append(where).append(')');
    }
    String given = name.toString();
    known.keySet().stream()
        .filter(one -> DISTANCE.apply(given, one) >= 0)
        .min(Comparator.comparingInt(one -> DISTANCE.apply(given, one)))
        .ifPresent(
            nearest ->
                told.append(": did you mean ")
                    .append(variable ? variable(nearest) : nearest)
                    .append('?'));
    return told.toString();
  }

  /** A setting's name as an environment variable: {@code HOOKFLOW_HOOK_MAX_BODY}. */
  private static String variable(String setting) {
    return setting.replaceAll("[.-]", "_").toUpperCase(Locale.ROOT);
  }

  private static String dashed(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static String squashed(String name) {
    return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
  }

  /** The settings refused, each named with where it came from; their values are never shown. */
  static class UnknownSettingException extends IllegalStateException {

    UnknownSettingException(List<String> settings, List<String> variables) {
      super(
          "hookflow does not know "
              + (settings.size() == 1 ? "this setting" : "these settings")
              + ":\n  "
              + String.join("\n  ", new TreeSet<>(settings))
              + (variables.isEmpty()
                  ? ""
                  : "\nnor these environment variables (only warned of on their own):\n  "
                      + String.join("\n  ", new TreeSet<>(variables))));
    }
  }
}
