package dev.bumper.yaml;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * A YAML stream composed into node graphs, with every node's position in the exact source text.
 *
 * <p>Composed, not constructed: aliases stay shared nodes (an alias bomb costs nothing until
 * something walks it twice), tags are resolved with the JSON schema so nothing is coerced, and
 * comments are skipped by the parser (they stay in the source text, which is never re-emitted).
 */
public final class ComposedYaml {
  /** Aliases to collections allowed per stream; a cap against alias bombs. */
  private static final int MAX_COLLECTION_ALIASES = 1_000;

  /**
   * One schema for every parse: its resolver is only read once made, and making one (a table of
   * implicit tags) per file was a tenth of a bulk bump's parsing.
   */
  static final JsonSchema SCHEMA = new JsonSchema();

  private final SourceText source;
  private final List<Node> documents;

  private ComposedYaml(SourceText source, List<Node> documents) {
    this.source = source;
    this.documents = documents;
  }

  /**
   * Composes every document of the source.
   *
   * @throws InvalidYamlException if the text is not well-formed YAML, naming line and column
   */
  public static ComposedYaml compose(SourceText source) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(source.name())
            .setUseMarks(true)
            .setParseComments(false)
            .setSchema(SCHEMA)
            .setCodePointLimit(Integer.MAX_VALUE)
            .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowNonScalarKeys(true)
            .build();
    List<Node> documents = new ArrayList<>();
    try {
      for (Node document : new Compose(settings).composeAllFromString(source.body())) {
        documents.add(document);
      }
    } catch (MarkedYamlEngineException e) {
      throw invalid(source, e);
    } catch (YamlEngineException e) {
      throw new InvalidYamlException(source.name(), 0, 0, "not valid YAML: " + e.getMessage());
    } catch (StackOverflowError e) {
      throw new InvalidYamlException(source.name(), 0, 0, "not valid YAML: nesting too deep");
    } catch (RuntimeException e) {
      // SnakeYAML Engine 3.2 lets a few malformed inputs out as other exceptions: a "\x" escape
      // cut off by the end of the file is a NumberFormatException. Still the input's fault.
      throw new InvalidYamlException(
          source.name(), 0, 0, "not valid YAML: the parser could not read it (" + e.getMessage() + ")");
    }
    return new ComposedYaml(source, List.copyOf(documents));
  }

  private static InvalidYamlException invalid(SourceText source, MarkedYamlEngineException e) {
    Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    String context = e.getContext() != null && e.getProblem() != null ? e.getContext() + ": " : "";
    String reason = "not valid YAML: " + context + (problem == null ? "parse error" : problem);
    if (mark == null) {
      return new InvalidYamlException(source.name(), 0, 0, reason);
    }
    int offset = source.offsetOfCodePoint(mark.getIndex());
    return new InvalidYamlException(
        source.name(), source.lineOf(offset), source.columnOf(offset), reason);
  }

  public SourceText source() {
    return source;
  }

  public List<Node> documents() {
    return documents;
  }

  /** Char offset of a node's start mark (at its anchor or tag when it has one). */
  public int startOffset(Node node) {
    return source.offsetOfCodePoint(node.getStartMark().orElseThrow().getIndex());
  }

  /** Char offset of a node's end mark. */
  public int endOffset(Node node) {
    return source.offsetOfCodePoint(node.getEndMark().orElseThrow().getIndex());
  }

  /** 1-based line where a node starts. */
  public int line(Node node) {
    return source.lineOf(startOffset(node));
  }

  /**
   * Locates the characters of a scalar's own text, skipping the anchor and tag that the start mark
   * includes, and checks that bumper may replace them.
   *
   * @throws InvalidYamlException for a block scalar or a scalar that spans lines
   */
  public ScalarSpan span(ScalarNode node) {
    int start = startOffset(node);
    int end = endOffset(node);
    boolean explicitTag = false;
    String text = source.text();
    while (start < end) {
      char c = text.charAt(start);
      if (c == '!' && start + 1 < end && text.charAt(start + 1) == '<') {
        // a verbatim tag, !<...>, may hold flow indicators: it ends at its '>'
        explicitTag = true;
        while (start < end && text.charAt(start) != '>') {
          start++;
        }
        start++;
      } else if (c == '&' || c == '!') {
        explicitTag |= c == '!';
        while (start < end && !isPropertyEnd(text.charAt(start))) {
          start++;
        }
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        start++;
      } else if (c == '#') {
        while (start < end && text.charAt(start) != '\n' && text.charAt(start) != '\r') {
          start++;
        }
      } else {
        break;
      }
    }
    ScalarStyle style = node.getScalarStyle();
    if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
      throw refuse(start, "the value is a block scalar (| or >); bumper edits only one-line scalars");
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        throw refuse(start, "the value spans several lines; bumper edits only one-line scalars");
      }
    }
    if (style == ScalarStyle.PLAIN && !text.substring(start, end).equals(node.getValue())) {
      throw new SelfCheckException(
          source.name(), "line " + source.lineOf(start) + ": scalar position does not match its text");
    }
    return new ScalarSpan(start, end, style, explicitTag);
  }

  /**
   * Where the text of a node ends: after its last scalar for a block collection (whose end mark
   * lies at the next token, possibly lines later), after its closing bracket for a flow one.
   *
   * @throws InvalidYamlException when the node ends in a block scalar, whose end is a line break
   *     that belongs to the layout around it
   */
  public int contentEnd(Node node) {
    Node last = node;
    while (true) {
      if (last instanceof org.snakeyaml.engine.v2.nodes.MappingNode m && !m.getValue().isEmpty()
          && m.getFlowStyle() == org.snakeyaml.engine.v2.common.FlowStyle.BLOCK) {
        last = m.getValue().get(m.getValue().size() - 1).getValueNode();
      } else if (last instanceof org.snakeyaml.engine.v2.nodes.SequenceNode s
          && !s.getValue().isEmpty()
          && s.getFlowStyle() == org.snakeyaml.engine.v2.common.FlowStyle.BLOCK) {
        last = s.getValue().get(s.getValue().size() - 1);
      } else {
        break;
      }
    }
    if (last instanceof ScalarNode scalar) {
      ScalarStyle style = scalar.getScalarStyle();
      if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
        int offset = startOffset(scalar);
        throw refuse(offset, "cannot edit next to a block scalar");
      }
      return scalar.getValue().isEmpty() && style == ScalarStyle.PLAIN
          ? startOffset(scalar)
          : span(scalar).end();
    }
    return endOffset(last);
  }

  private InvalidYamlException refuse(int offset, String reason) {
    return new InvalidYamlException(
        source.name(), source.lineOf(offset), source.columnOf(offset), reason);
  }

  private static boolean isPropertyEnd(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '[' || c == ']'
        || c == '{' || c == '}';
  }
}
