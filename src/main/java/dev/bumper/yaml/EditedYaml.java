package dev.bumper.yaml;

import java.util.List;

/** The result of editing a source: its new text and the span edits that produced it. */
public record EditedYaml(SourceText source, String newText, List<TextEdit> edits) {
  public EditedYaml {
    edits = List.copyOf(edits);
  }

  /** A source left as it is. */
  public static EditedYaml unchanged(SourceText source) {
    return new EditedYaml(source, source.text(), List.of());
  }

  /**
   * Joins the edited slices of a file (see {@link DocumentChunks}) back into one edited file:
   * the texts concatenated, the edits moved to file offsets.
   */
  public static EditedYaml join(SourceText file, List<EditedYaml> slices) {
    if (slices.size() == 1 && slices.get(0).source() == file) {
      return slices.get(0);
    }
    boolean changed = false;
    for (EditedYaml slice : slices) {
      changed |= !slice.edits().isEmpty();
    }
    if (!changed) {
      return unchanged(file);
    }
    StringBuilder text = new StringBuilder(file.length() + 64);
    java.util.ArrayList<TextEdit> edits = new java.util.ArrayList<>();
    for (EditedYaml slice : slices) {
      text.append(slice.newText());
      int offset = slice.source().fileOffset() - file.fileOffset();
      for (TextEdit edit : slice.edits()) {
        edits.add(new TextEdit(edit.start() + offset, edit.end() + offset, edit.replacement()));
      }
    }
    return new EditedYaml(file, text.toString(), edits);
  }

  public boolean changed() {
    return !newText.equals(source.text());
  }

  /** A unified diff of the change, with {@code path} in the a/ and b/ headers. */
  public String diff(String path) {
    return UnifiedDiff.of(path, source.text(), edits);
  }
}
