package dev.bumper.manifest;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A place where an image is written. {@code duplicate} is a duplicated key on the path to it (or
 * null): editing there would be ambiguous, because parsers disagree on which entry wins.
 */
sealed interface Place {
  /** The node that identifies the place: one place per node, however it was reached. */
  Node node();

  Node duplicate();

  default int order() {
    return node().getStartMark().map(m -> m.getIndex()).orElse(0);
  }

  /**
   * A scalar holding a whole reference: a container's or volume's image, a Helm-style image
   * string, or an Argo CD write-back entry ({@code name=ref} or {@code ref}).
   */
  record Ref(Kind kind, ScalarNode scalar, Node duplicate) implements Place {
    @Override
    public Node node() {
      return scalar;
    }
  }

  /** A Helm values block: {@code registry} (optional), {@code repository}, {@code tag}, {@code digest}. */
  record HelmImage(
      MappingNode map,
      NodeTuple registry,
      NodeTuple repository,
      NodeTuple tag,
      NodeTuple digest,
      Node duplicate)
      implements Place {
    @Override
    public Node node() {
      return map;
    }
  }

  /** An entry of a kustomize {@code images:} list: {@code name}, {@code newName}, {@code newTag}, {@code digest}. */
  record KustomizeEntry(MappingNode entry, Node duplicate) implements Place {
    @Override
    public Node node() {
      return entry;
    }
  }

  /** A value marked with a Flux setter comment; {@code field} is null for the whole reference. */
  record Marker(ScalarNode scalar, String policy, String field) implements Place {
    @Override
    public Node node() {
      return scalar;
    }

    @Override
    public Node duplicate() {
      return null;
    }
  }
}
