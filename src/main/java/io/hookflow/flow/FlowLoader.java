package io.hookflow.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads and checks every flow file of a folder; nothing runs unless all of them are valid. */
public final class FlowLoader {

  private FlowLoader() {}

  /**
   * The flows of a folder ({@code *.yaml} and {@code *.yml} in any case, sub-folders included).
   *
   * @throws FlowDefinitionException naming every problem, each with its file, line and column
   */
  public static Flows load(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new FlowDefinitionException(
          List.of(
              folder.toAbsolutePath().normalize()
                  + (Files.exists(folder)
                      ? ": is a file; the flows are the *.yaml and *.yml files of a folder, name"
                          + " that folder"
                      : ": flow folder does not exist")));
    }
    List<String> problems = new ArrayList<>();
    List<Flow> flows = new ArrayList<>();
    Map<String, Path> names = new HashMap<>();
    for (Path file : flowFiles(folder)) {
      Flow flow = read(file, problems);
      if (flow == null) {
        continue;
      }
      Path earlier = names.putIfAbsent(flow.name(), file);
      if (earlier != null) {
        problems.add(
            file
                + namePlace(file)
                + ": flow name '"
                + flow.name()
                + "' is already used by "
                + earlier
                + namePlace(earlier));
      } else {
        flows.add(flow);
      }
    }
    if (!problems.isEmpty()) {
      throw new FlowDefinitionException(problems);
    }
    return new Flows(flows);
  }

  /**
   * One flow file on its own.
   *
   * @throws FlowDefinitionException naming every problem, each with its file, line and column
   */
  public static Flows loadFile(Path file) {
    List<String> problems = new ArrayList<>();
    Flow flow = read(file, problems);
    if (flow == null) {
      throw new FlowDefinitionException(problems);
    }
    return new Flows(List.of(flow));
  }

  /** One flow file; problems are added to the list and the result is then null. */
  static Flow read(Path file, List<String> problems) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
      return null;
    }
    String text = utf8(file, bytes, problems);
    return text == null ? null : parse(file, text, problems);
  }

  /**
   * The file's text; null, with a problem naming where, when it is not UTF-8 (an editor that saved
   * it as Latin-1, or PowerShell as UTF-16). Java's own error says neither what nor where: "Input
   * length = 1".
   */
  private static String utf8(Path file, byte[] bytes, List<String> problems) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
    if (result.isError()) {
      String before = new String(bytes, 0, in.position(), StandardCharsets.UTF_8);
      int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
      int column = before.length() - before.lastIndexOf('\n');
      problems.add(
          String.format(
              "%s:%d:%d: not UTF-8 text (byte 0x%02X); save the file as UTF-8",
              file, line, column, bytes[in.position()]));
      return null;
    }
    return out.flip().toString();
  }

  static Flow parse(Path file, String text, List<String> problems) {
    Node root;
    try {
      root = compose(text);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(file + FlowReader.place(mark) + ": not valid YAML: " + e.getProblem());
      return null;
    } catch (RuntimeException e) {
      problems.add(file + ": not valid YAML: " + e.getMessage());
      return null;
    }
    int before = problems.size();
    Flow flow = new FlowReader(file, problems).flow(root);
    return problems.size() == before ? flow : null;
  }

  /** A flow file's YAML as nodes, which keep where each value stands; nothing is constructed. */
  private static Node compose(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions()))
        .compose(new java.io.StringReader(text));
  }

  /** Where a file that was read names its flow ({@code :line:column}), for a clash across files. */
  private static String namePlace(Path file) {
    try {
      if (compose(Files.readString(file)) instanceof MappingNode fields) {
        for (NodeTuple field : fields.getValue()) {
          if (field.getKeyNode() instanceof ScalarNode key && key.getValue().equals("name")) {
            return FlowReader.place(field.getValueNode().getStartMark());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // read a moment ago; the file alone still says where to look
    }
    return "";
  }

  /**
   * Whether a file is a flow file by its name: {@code .yaml} or {@code .yml} in any case, as a file
   * saved on Windows or macOS may be named ({@code One-App.YAML}).
   */
  static boolean isFlowFile(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /**
   * The flow files under the folder, named from the folder as given. Walked from where the folder
   * really is: a walk does not follow the link it starts from, so a folder linked into place (a
   * checkout kept elsewhere) would otherwise hold no flows at all.
   */
  private static List<Path> flowFiles(Path folder) {
    try {
      Path real = folder.toRealPath();
      try (Stream<Path> files = Files.walk(real)) {
        return files
            .filter(Files::isRegularFile)
            .map(real::relativize)
            .filter(f -> !f.toString().startsWith("."))
            .filter(FlowLoader::isFlowFile)
            .map(folder::resolve)
            .sorted()
            .toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list flow folder " + folder, e);
    }
  }
}
