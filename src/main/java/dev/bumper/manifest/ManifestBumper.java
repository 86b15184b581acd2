package dev.bumper.manifest;

import dev.bumper.yaml.ComposedYaml;
import dev.bumper.yaml.DocumentChunks;
import dev.bumper.yaml.EditedYaml;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Applies a {@link BumpRequest} to one YAML source: finds the places, edits the scalars that
 * change, and returns the verified new text with a list of changes. Pure: no file I/O.
 */
public final class ManifestBumper {
  private final BumpRequest request;

  public ManifestBumper(BumpRequest request) {
    this.request = request;
  }

  /**
   * Bumps one source.
   *
   * @param path the file's path relative to the root, used in changes and messages
   * @throws InvalidYamlException when the file is not valid YAML or a matched place may not be
   *     edited
   * @throws dev.bumper.yaml.SelfCheckException when the edit does not verify
   * @throws dev.bumper.yaml.EditConflictException when two specs set one place differently
   */
  public FileBump bump(String path, SourceText source) {
    TextPrefilter prefilter = TextPrefilter.of(request);
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    boolean argoSourceFile = fileName.startsWith(".argocd-source");
    List<ValueChange> changes = new ArrayList<>();
    BitSet matched = new BitSet();
    List<EditedYaml> slices = new ArrayList<>();
    List<SourceText> documents = DocumentChunks.split(source);
    for (SourceText slice : documents) {
      if (prefilter != null && documents.size() > 1 && !prefilter.mayMatch(slice.text())) {
        slices.add(EditedYaml.unchanged(slice));
        continue;
      }
      FileBumper edit =
          new FileBumper(request, path, ComposedYaml.compose(slice), changes, matched);
      edit.run(argoSourceFile);
      slices.add(edit.apply());
    }
    return new FileBump(EditedYaml.join(source, slices), changes, matched);
  }
}
