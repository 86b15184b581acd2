package dev.bumper.manifest;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.DocumentChunks;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Argo CD {@code Application} objects in a config repo: where an application's source is. */
public final class ArgoCdApplications {
  /**
   * An application's source: its path in the repository, and whether its spec says Helm ({@code
   * helm} or {@code chart}) or kustomize ({@code kustomize}).
   */
  public record Source(String path, boolean helm, boolean kustomize) {}

  private ArgoCdApplications() {}

  /** The source at {@code path}, of the kind its spec ({@code source}, may be null) says. */
  static Source source(String path, MappingNode source) {
    String normalized = path.replaceAll("^\\./", "").replaceAll("/+$", "");
    return new Source(normalized.equals(".") ? "" : normalized,
        source != null && (Nodes.get(source, "helm") != null || Nodes.get(source, "chart") != null),
        source != null && Nodes.get(source, "kustomize") != null);
  }

  /** The source of the Application named {@code name} in {@code file}, if it has one there. */
  public static Optional<Source> find(SourceText file, String name) {
    try {
      for (SourceText slice : DocumentChunks.split(file)) {
        for (Node document : ComposedYaml.compose(slice).documents()) {
          if (!(document instanceof MappingNode object)
              || !"Application".equals(Nodes.string(object, "kind"))
              || !String.valueOf(Nodes.string(object, "apiVersion")).startsWith("argoproj.io/")
              || !(Nodes.get(object, "metadata") instanceof MappingNode metadata)
              || !name.equals(Nodes.string(metadata, "name"))
              || !(Nodes.get(object, "spec") instanceof MappingNode spec)
              || !(Nodes.get(spec, "source") instanceof MappingNode source)) {
            continue;
          }
          if (Nodes.string(source, "path") != null) {
            return Optional.of(source(Nodes.string(source, "path"), source));
          }
        }
      }
    } catch (InvalidYamlException | StackOverflowError e) {
      // not YAML bumper can read: no Application to use
    }
    return Optional.empty();
  }
}
