package dev.bumper.manifest;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.DocumentChunks;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The applications an Argo CD {@code ApplicationSet} in a config repo generates, enough to find
 * one by name: its {@code metadata.name} and {@code spec.source.path}, rendered from the
 * template with each parameter set of a {@code list} generator ({@code elements}) or a {@code git}
 * directory generator ({@code directories}: the repository's directories that match a path and
 * no {@code exclude}), in the default templating ({@code {{param}}}) or Go templates ({@code
 * goTemplate: true}: {@code {{.param}}}, {@code {{index .path.segments N}}}). Other generators,
 * and Go templates beyond field look-ups, are not expanded: they are named in {@link
 * Found#unexpanded()} so that the caller can say why an application was not found.
 */
public final class ArgoCdApplicationSets {
  private static final Pattern FAST_TAG = Pattern.compile("\\{\\{(.*?)}}");
  private static final Pattern GO_FIELD =
      Pattern.compile("\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)");
  private static final Pattern GO_INDEX =
      Pattern.compile("index\\s+\\.([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)\\s+(\\d+)");
  private static final Pattern DNS_INVALID = Pattern.compile("[^-a-z0-9.]");

  /** What a file's ApplicationSets generate under a name, and what could not be expanded. */
  public record Found(List<ArgoCdApplications.Source> sources, List<String> unexpanded) {}

  private ArgoCdApplicationSets() {}

  /**
   * The sources of the applications named {@code name} that the ApplicationSets in {@code file}
   * generate; {@code directories} are the repository's directories, relative to its top, for
   * the git directory generator.
   */
  public static Found find(SourceText file, String name, Collection<String> directories) {
    List<ArgoCdApplications.Source> sources = new ArrayList<>();
    List<String> unexpanded = new ArrayList<>();
    try {
      for (SourceText slice : DocumentChunks.split(file)) {
        for (Node document : ComposedYaml.compose(slice).documents()) {
          if (document instanceof MappingNode object
              && "ApplicationSet".equals(Nodes.string(object, "kind"))
              && String.valueOf(Nodes.string(object, "apiVersion")).startsWith("argoproj.io/")
              && Nodes.get(object, "spec") instanceof MappingNode spec) {
            String set = file.name() + ": ApplicationSet " + setName(object);
            expand(spec, name, directories, set, sources, unexpanded);
          }
        }
      }
    } catch (InvalidYamlException | StackOverflowError e) {
      // not YAML bumper can read: no ApplicationSet to use
    }
    return new Found(sources, unexpanded);
  }

  private static String setName(MappingNode object) {
    return Nodes.get(object, "metadata") instanceof MappingNode metadata
        ? String.valueOf(Nodes.string(metadata, "name")) : "(no name)";
  }

  private static void expand(MappingNode spec, String name, Collection<String> directories,
      String set, List<ArgoCdApplications.Source> sources, List<String> unexpanded) {
    boolean go = "true".equals(Nodes.string(spec, "goTemplate"));
    if (!(Nodes.get(spec, "generators") instanceof SequenceNode generators)) {
      return;
    }
    for (Node item : generators.getValue()) {
      if (!(item instanceof MappingNode generator) || generator.getValue().isEmpty()) {
        continue;
      }
      NodeTuple entry = generator.getValue().get(0);
      String kind = entry.getKeyNode() instanceof ScalarNode key ? key.getValue() : "";
      if (!(entry.getValueNode() instanceof MappingNode body)) {
        continue;
      }
      List<Map<String, Object>> parameterSets;
      if (kind.equals("list") && Nodes.get(body, "elements") instanceof SequenceNode elements) {
        parameterSets = listParameters(elements);
      } else if (kind.equals("git") && Nodes.get(body, "directories") instanceof SequenceNode dirs
          && Nodes.get(body, "pathParamPrefix") == null) {
        parameterSets = directoryParameters(dirs, directories, go);
      } else {
        unexpanded.add(set + " (a " + kind + " generator)");
        continue;
      }
      Template template = Template.of(spec, body);
      if (template == null) {
        continue;
      }
      for (Map<String, Object> parameters : parameterSets) {
        String rendered = render(template.name(), parameters, go);
        if (rendered == null) {
          unexpanded.add(set + " (a template bumper cannot render: " + template.name() + ")");
          break;
        }
        if (!rendered.equals(name)) {
          continue;
        }
        String path = render(template.path(), parameters, go);
        if (path == null) {
          unexpanded.add(set + " (a template bumper cannot render: " + template.path() + ")");
          continue;
        }
        sources.add(ArgoCdApplications.source(path, template.source()));
      }
    }
  }

  /** The template's name, path and source, a generator's own template over the spec's. */
  private record Template(String name, String path, MappingNode source) {
    static Template of(MappingNode spec, MappingNode generator) {
      String name = null;
      String path = null;
      MappingNode source = null;
      for (Node node : List.of(spec, generator)) {
        if (!(Nodes.get((MappingNode) node, "template") instanceof MappingNode template)) {
          continue;
        }
        if (Nodes.get(template, "metadata") instanceof MappingNode metadata
            && Nodes.string(metadata, "name") != null) {
          name = Nodes.string(metadata, "name");
        }
        if (Nodes.get(template, "spec") instanceof MappingNode appSpec
            && Nodes.get(appSpec, "source") instanceof MappingNode appSource
            && Nodes.string(appSource, "path") != null) {
          source = appSource;
          path = Nodes.string(appSource, "path");
        }
      }
      return name == null || path == null ? null : new Template(name, path, source);
    }
  }

  private static List<Map<String, Object>> listParameters(SequenceNode elements) {
    List<Map<String, Object>> sets = new ArrayList<>();
    for (Node element : elements.getValue()) {
      if (element instanceof MappingNode mapping) {
        sets.add(values(mapping));
      }
    }
    return sets;
  }

  private static Map<String, Object> values(MappingNode mapping) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key) {
        Node value = tuple.getValueNode();
        if (value instanceof ScalarNode scalar) {
          values.put(key.getValue(), scalar.getValue());
        } else if (value instanceof MappingNode nested) {
          values.put(key.getValue(), values(nested));
        }
      }
    }
    return values;
  }

  /**
   * The parameters of each directory that a path of the generator matches and no excluded path
   * does: {@code path}, {@code path.basename}, {@code path.basenameNormalized}, {@code path[N]}
   * in the default templating, the same under {@code .path} (with {@code .path.path} and {@code
   * .path.segments}) in Go templates.
   */
  private static List<Map<String, Object>> directoryParameters(SequenceNode paths,
      Collection<String> directories, boolean go) {
    List<Pattern> included = new ArrayList<>();
    List<Pattern> excluded = new ArrayList<>();
    for (Node item : paths.getValue()) {
      if (item instanceof MappingNode entry && Nodes.string(entry, "path") != null) {
        Pattern glob = glob(Nodes.string(entry, "path"));
        ("true".equals(Nodes.string(entry, "exclude")) ? excluded : included).add(glob);
      }
    }
    List<Map<String, Object>> sets = new ArrayList<>();
    for (String dir : directories) {
      if (included.stream().anyMatch(p -> p.matcher(dir).matches())
          && excluded.stream().noneMatch(p -> p.matcher(dir).matches())) {
        sets.add(directoryParameters(dir, go));
      }
    }
    return sets;
  }

  private static Map<String, Object> directoryParameters(String dir, boolean go) {
    String[] segments = dir.split("/");
    String basename = segments[segments.length - 1];
    String normalized = DNS_INVALID.matcher(basename.toLowerCase(java.util.Locale.ROOT))
        .replaceAll("-");
    Map<String, Object> parameters = new LinkedHashMap<>();
    if (go) {
      Map<String, Object> path = new LinkedHashMap<>();
      path.put("path", dir);
      path.put("basename", basename);
      path.put("basenameNormalized", normalized);
      path.put("segments", List.of(segments));
      parameters.put("path", path);
    } else {
      parameters.put("path", dir);
      parameters.put("path.basename", basename);
      parameters.put("path.basenameNormalized", normalized);
      for (int i = 0; i < segments.length; i++) {
        parameters.put("path[" + i + "]", segments[i]);
      }
    }
    return parameters;
  }

  /**
   * {@code template} rendered with {@code parameters}, or null when it uses what bumper does not
   * evaluate. The default templating leaves a tag with no parameter as it is, as Argo CD does.
   */
  static String render(String template, Map<String, Object> parameters, boolean go) {
    Matcher tags = FAST_TAG.matcher(template);
    StringBuilder out = new StringBuilder();
    while (tags.find()) {
      String tag = tags.group(1).strip();
      String value;
      if (!go) {
        Object found = parameters.get(tag);
        if (found == null) {
          found = lookUp(parameters, tag);
        }
        value = found instanceof String text ? text : tags.group();
      } else {
        value = goValue(tag, parameters);
        if (value == null) {
          return null;
        }
      }
      tags.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    tags.appendTail(out);
    return out.toString();
  }

  private static String goValue(String action, Map<String, Object> parameters) {
    Matcher field = GO_FIELD.matcher(action);
    if (field.matches()) {
      return lookUp(parameters, field.group(1)) instanceof String text ? text : null;
    }
    Matcher index = GO_INDEX.matcher(action);
    if (index.matches() && lookUp(parameters, index.group(1)) instanceof List<?> list) {
      int at = Integer.parseInt(index.group(2));
      return at < list.size() ? String.valueOf(list.get(at)) : null;
    }
    return null;
  }

  private static Object lookUp(Map<String, Object> parameters, String dotted) {
    Object at = parameters;
    for (String key : dotted.split("\\.")) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(key);
    }
    return at;
  }

  /**
   * A pattern as Go's {@code path.Match} reads it, which the git generator matches directories
   * with: {@code *} and {@code ?} within one path segment, {@code [...]} a class ({@code [^...]}
   * negated), {@code \} escaping.
   */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> regex.append("[^/]*");
        case '?' -> regex.append("[^/]");
        case '\\' -> {
          if (i + 1 < pattern.length()) {
            regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
          }
        }
        case '[' -> {
          int end = pattern.indexOf(']', i + 2);
          if (end < 0) {
            regex.append("\\[");
          } else {
            String body = pattern.substring(i + 1, end);
            boolean negated = body.startsWith("^");
            regex.append('[').append(negated ? "^/" : "")
                .append((negated ? body.substring(1) : body).replace("\\", "\\\\")
                    .replace("[", "\\["))
                .append(']');
            i = end;
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
