package dev.bumper.yaml;

import java.util.List;

/** The result of editing a source: its new text and the span edits that produced it. */
public record EditedYaml(SourceText source, String newText, List<TextEdit> edits) {
  public EditedYaml {
    edits = List.copyOf(edits);
  }

  public boolean changed() {
    return !newText.equals(source.text());
  }

  /** A unified diff of the change, with {@code path} in the a/ and b/ headers. */
  public String diff(String path) {
    return UnifiedDiff.of(path, source.text(), edits);
  }
}
