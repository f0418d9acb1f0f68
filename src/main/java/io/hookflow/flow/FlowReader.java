package io.hookflow.flow;

import io.hookflow.mail.Headers;
import io.hookflow.step.ComposeStep;
import io.hookflow.step.EmailStep;
import io.hookflow.step.GetStep;
import io.hookflow.step.OktaUserStep;
import io.hookflow.step.Step;
import io.hookflow.step.Template;
import io.hookflow.step.Templates;
import io.hookflow.step.Variables;
import jakarta.mail.internet.AddressException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns one flow file's YAML nodes into a {@link Flow}, noting every problem with its line and
 * column instead of stopping at the first.
 */
final class FlowReader {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern NOT_IN_NAMES = Pattern.compile("[/\\\\%;\\p{Cntrl}]");
  private static final int MAX_NAME_LENGTH = 255;
  private static final List<String> STEP_KINDS = List.of("get", "compose", "email", "okta-user");

  private final Path file;
  private final List<String> problems;
  private final Set<String> known = new LinkedHashSet<>(Variables.EVENT_ROOTS);

  FlowReader(Path file, List<String> problems) {
    this.file = file;
    this.problems = problems;
  }

  Flow flow(Node root) {
    if (root == null) {
      problems.add(file + ": the file is empty");
      return null;
    }
    Map<String, Node> fields = fields(root, "the flow", "name", "description", "trigger", "steps");
    if (fields == null) {
      return null;
    }
    String name = requiredText(fields, root, "name", "the flow");
    if (name != null && NOT_IN_NAMES.matcher(name).find()) {
      // The console and the API address a flow by its name in the path, where a web server refuses
      // these (an encoded slash, percent, semicolon or backslash), and a name is one line.
      problem(
          fields.get("name"),
          "the flow's name must not contain / \\ % ; or control characters: '" + name + "'");
    } else if (name != null && name.length() > MAX_NAME_LENGTH) {
      // Runs record it in a column of this size; PostgreSQL refuses longer values.
      problem(
          fields.get("name"),
          "the flow's name is "
              + name.length()
              + " characters long; at most "
              + MAX_NAME_LENGTH
              + " are allowed");
    }
    Trigger trigger = trigger(fields.get("trigger"), root);
    List<Step> steps = steps(fields.get("steps"), root);
    if (fields.containsKey("description")) {
      text(fields.get("description"), "description");
    }
    return new Flow(name, file, trigger, steps);
  }

  private Trigger trigger(Node node, Node parent) {
    if (node == null) {
      problem(parent, "missing 'trigger'");
      return null;
    }
    Map<String, Node> fields = fields(node, "trigger", "event", "applications");
    if (fields == null) {
      return null;
    }
    String event = requiredText(fields, node, "event", "trigger");
    List<String> applications = new ArrayList<>();
    Node apps = fields.get("applications");
    if (apps != null) {
      for (Node app : list(apps, "trigger.applications")) {
        String label = text(app, "an application");
        if (label != null && label.isBlank()) {
          problem(app, "an application must be an app label or an app id (0oa…)");
        } else if (label != null) {
          applications.add(label.strip());
        }
      }
      if (applications.isEmpty() && apps instanceof SequenceNode) {
        problem(apps, "'applications' is empty and would match nothing; omit it for every app");
      }
    }
    return event == null ? null : Trigger.of(event, applications);
  }

  private List<Step> steps(Node node, Node parent) {
    List<Step> steps = new ArrayList<>();
    if (node == null) {
      problem(parent, "missing 'steps'");
      return steps;
    }
    List<Node> items = list(node, "steps");
    if (items.isEmpty() && node instanceof SequenceNode) {
      problem(node, "'steps' is empty: a flow needs at least one step");
    }
    for (int i = 0; i < items.size(); i++) {
      Step step = step(items.get(i), "step " + (i + 1));
      if (step != null) {
        steps.add(step);
      }
    }
    return steps;
  }

  private Step step(Node node, String where) {
    if (node instanceof MappingNode several && several.getValue().size() > 1) {
      // most often the step's settings indented no deeper than its '- email:'
      List<String> keys = new ArrayList<>();
      for (NodeTuple tuple : several.getValue()) {
        keys.add(tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : "…");
      }
      problem(
          node,
          where
              + " has the keys "
              + keys
              + " side by side; a step is one of "
              + STEP_KINDS
              + " with its settings indented under it");
      return null;
    }
    if (!(node instanceof MappingNode mapping) || mapping.getValue().size() != 1) {
      problem(
          node, where + " must be one of " + STEP_KINDS + " with its settings, e.g. '- compose:'");
      return null;
    }
    NodeTuple tuple = mapping.getValue().get(0);
    String kind = text(tuple.getKeyNode(), where);
    Node body = tuple.getValueNode();
    if (kind == null) {
      return null;
    }
    where = where + " (" + kind + ")";
    return switch (kind) {
      case "get" -> get(body, where);
      case "compose" -> compose(body, where);
      case "email" -> email(body, where);
      case "okta-user" -> oktaUser(body, where);
      default -> {
        problem(tuple.getKeyNode(), "unknown step '" + kind + "'; known steps: " + STEP_KINDS);
        yield null;
      }
    };
  }

  private Step get(Node node, String where) {
    Map<String, Node> fields = fields(node, where, "fields");
    if (fields == null) {
      return null;
    }
    Node fieldsNode = fields.get("fields");
    if (fieldsNode == null) {
      problem(node, where + ": missing 'fields'");
      return null;
    }
    if (!(fieldsNode instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
      problem(
          fieldsNode,
          where + ": 'fields' must map output names to paths, e.g. appLabel: target.1.alternateId");
      return null;
    }
    Map<String, String> paths = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String name = text(tuple.getKeyNode(), where + " field name");
      String path = text(tuple.getValueNode(), where + " path");
      if (name == null || path == null) {
        continue;
      }
      if (declare(tuple.getKeyNode(), name, where)
          && validPath(tuple.getValueNode(), path, where)) {
        paths.put(name, path);
      }
    }
    return new GetStep(Map.copyOf(paths));
  }

  private Step compose(Node node, String where) {
    Map<String, Node> fields = fields(node, where, "name", "text");
    if (fields == null) {
      return null;
    }
    Template text = template(fields.get("text"), node, "text", where, false);
    String name = requiredText(fields, node, "name", where);
    if (name == null || !declare(fields.get("name"), name, where)) {
      return null;
    }
    return text == null ? null : new ComposeStep(name, text);
  }

  private Step oktaUser(Node node, String where) {
    Map<String, Node> fields = fields(node, where, "name", "id");
    if (fields == null) {
      return null;
    }
    Node idNode = fields.get("id");
    Template id =
        idNode == null
            ? Templates.compile(OktaUserStep.DEFAULT_ID, false)
            : template(idNode, where + " id");
    String name = requiredText(fields, node, "name", where);
    if (name == null || !declare(fields.get("name"), name, where)) {
      return null;
    }
    return id == null ? null : new OktaUserStep(name, id);
  }

  private Step email(Node node, String where) {
    Map<String, Node> fields = fields(node, where, "to", "cc", "bcc", "subject", "body", "html");
    if (fields == null) {
      return null;
    }
    boolean html = fields.containsKey("html") && bool(fields.get("html"), where + " html");
    List<Template> to = addresses(fields.get("to"), where + " to");
    if (fields.get("to") == null) {
      problem(node, where + ": missing 'to'");
    } else if (to.isEmpty()) {
      problem(fields.get("to"), where + ": 'to' needs at least one address");
    }
    List<Template> cc = addresses(fields.get("cc"), where + " cc");
    List<Template> bcc = addresses(fields.get("bcc"), where + " bcc");
    Template subject = template(fields.get("subject"), node, "subject", where, false);
    Template body = template(fields.get("body"), node, "body", where, html);
    if (subject == null || body == null) {
      return null;
    }
    return new EmailStep(to, cc, bcc, subject, body, html);
  }

  private List<Template> addresses(Node node, String where) {
    List<Template> addresses = new ArrayList<>();
    if (node == null || isNull(node)) {
      return addresses;
    }
    List<Node> items = node instanceof ScalarNode ? List.of(node) : list(node, where);
    for (Node item : items) {
      Template template = template(item, where);
      if (template != null && (!writtenOut(template) || isAddress(template, item, where))) {
        addresses.add(template);
      }
    }
    return addresses;
  }

  private static boolean writtenOut(Template template) {
    return !template.source().contains("{{") && !template.source().isBlank();
  }

  /** Checks an address written out now, rather than failing every run with it. */
  private boolean isAddress(Template template, Node item, String where) {
    try {
      Headers.address(template.source());
      return true;
    } catch (AddressException e) {
      problem(item, where + ": '" + template.source() + "' is not an address: " + e.getMessage());
      return false;
    }
  }

  private Template template(Node node, Node parent, String key, String where, boolean html) {
    if (node == null) {
      problem(parent, where + ": missing '" + key + "'");
      return null;
    }
    return template(node, where + " " + key, html);
  }

  private Template template(Node node, String where) {
    return template(node, where, false);
  }

  private Template template(Node node, String where, boolean html) {
    String source = text(node, where);
    if (source == null) {
      return null;
    }
    try {
      Template template = Templates.compile(source, html);
      for (String root : Templates.roots(source)) {
        if (!known.contains(root)) {
          problem(node, where + ": unknown variable '" + root + "'; known here: " + known);
          return null;
        }
      }
      return template;
    } catch (IllegalArgumentException e) {
      problem(node, where + ": bad template: " + e.getMessage());
      return null;
    }
  }

  /** Names a new variable; a name may be given once, and never one of the event's. */
  private boolean declare(Node node, String name, String where) {
    if (!NAME.matcher(name).matches()) {
      problem(node, where + ": '" + name + "' is not a valid name (letters, digits, _)");
      return false;
    }
    if (!known.add(name)) {
      problem(node, where + ": the name '" + name + "' is already taken");
      return false;
    }
    return true;
  }

  private boolean validPath(Node node, String path, String where) {
    for (String segment : path.split("\\.", -1)) {
      if (segment.isBlank()) {
        problem(node, where + ": path '" + path + "' has an empty part");
        return false;
      }
    }
    return true;
  }

  /** The keys of a mapping, each checked against the allowed ones; null if not a mapping. */
  private Map<String, Node> fields(Node node, String where, String... allowed) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node, where + " must be a mapping of " + List.of(allowed));
      return null;
    }
    Map<String, Node> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = text(tuple.getKeyNode(), where + " key");
      if (key == null) {
        continue;
      }
      if (!List.of(allowed).contains(key)) {
        problem(
            tuple.getKeyNode(),
            "unknown key '" + key + "' in " + where + "; allowed: " + List.of(allowed));
      } else if (fields.put(key, tuple.getValueNode()) != null) {
        problem(tuple.getKeyNode(), "key '" + key + "' is given twice in " + where);
      }
    }
    return fields;
  }

  private String requiredText(Map<String, Node> fields, Node parent, String key, String where) {
    Node node = fields.get(key);
    if (node == null || isNull(node)) {
      problem(node == null ? parent : node, "missing '" + key + "' in " + where);
      return null;
    }
    String value = text(node, key);
    if (value != null && value.isBlank()) {
      problem(node, "'" + key + "' in " + where + " must not be empty");
      return null;
    }
    return value == null ? null : value.strip();
  }

  private String text(Node node, String what) {
    if (node instanceof ScalarNode scalar && !isNull(node)) {
      return scalar.getValue();
    }
    problem(node, what + " must be text");
    return null;
  }

  private boolean bool(Node node, String what) {
    if (node instanceof ScalarNode scalar
        && (scalar.getValue().equalsIgnoreCase("true")
            || scalar.getValue().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(scalar.getValue());
    }
    problem(node, what + " must be true or false");
    return false;
  }

  private List<Node> list(Node node, String what) {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    problem(node, what + " must be a list");
    return List.of();
  }

  private static boolean isNull(Node node) {
    return Tag.NULL.equals(node.getTag());
  }

  /**
   * {@code :line:column} of a place in a flow file, as every problem names it; empty if unknown.
   */
  static String place(Mark mark) {
    return mark == null ? "" : ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  private void problem(Node node, String message) {
    problems.add(file + (node == null ? "" : place(node.getStartMark())) + ": " + message);
  }
}
