package dev.bumper.manifest;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.SourceText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Finds values marked with Flux image-automation setter comments, such as
 * {@code image: ghcr.io/acme/web:1.0 # {"$imagepolicy": "flux-system:web"}}.
 *
 * <p>The parser drops comments, so markers are found in the source text and tied to the scalar
 * value that ends on the same line just before the {@code #}: that also proves the marker is a
 * comment and not text inside a string.
 */
final class PolicyMarkers {
  static final String TOKEN = "$imagepolicy";
  private static final Pattern MARKER =
      Pattern.compile("#\\s*\\{\\s*\"\\$imagepolicy\"\\s*:\\s*\"([^\"]*)\"\\s*}");

  private PolicyMarkers() {}

  static List<Place.Marker> find(ComposedYaml yaml) {
    SourceText source = yaml.source();
    String text = source.text();
    Map<Integer, Matcher> markersByLine = new HashMap<>();
    int from = 0;
    while ((from = text.indexOf(TOKEN, from)) >= 0) {
      int line = source.lineOf(from);
      Matcher m = MARKER.matcher(text);
      m.region(source.lineStart(line), source.lineContentEnd(line));
      if (m.find()) {
        markersByLine.put(line, m);
      }
      from = source.nextLineStart(line);
      if (from >= text.length()) {
        break;
      }
    }
    if (markersByLine.isEmpty()) {
      return List.of();
    }
    List<Place.Marker> markers = new ArrayList<>();
    Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Node document : yaml.documents()) {
      collect(yaml, document, markersByLine, markers, visited);
    }
    return markers;
  }

  private static void collect(
      ComposedYaml yaml,
      Node node,
      Map<Integer, Matcher> markersByLine,
      List<Place.Marker> out,
      Set<Node> visited) {
    if (!visited.add(node)) {
      return;
    }
    if (node instanceof MappingNode map) {
      for (NodeTuple tuple : map.getValue()) {
        collect(yaml, tuple.getValueNode(), markersByLine, out, visited);
      }
    } else if (node instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        collect(yaml, item, markersByLine, out, visited);
      }
    } else if (node instanceof ScalarNode scalar
        && scalar.getScalarStyle() != ScalarStyle.LITERAL
        && scalar.getScalarStyle() != ScalarStyle.FOLDED
        && !scalar.getValue().isEmpty()) {
      SourceText source = yaml.source();
      int end = yaml.endOffset(scalar);
      Matcher marker = markersByLine.get(source.lineOf(end));
      if (marker == null || end > marker.start()
          || !source.substring(end, marker.start()).isBlank()) {
        return;
      }
      String[] parts = marker.group(1).split(":", -1);
      if (parts.length == 2) {
        out.add(new Place.Marker(scalar, parts[0] + ":" + parts[1], null));
      } else if (parts.length == 3) {
        out.add(new Place.Marker(scalar, parts[0] + ":" + parts[1], parts[2]));
      }
    }
  }
}
