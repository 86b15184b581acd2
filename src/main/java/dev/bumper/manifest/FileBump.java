package dev.bumper.manifest;

import dev.bumper.yaml.EditedYaml;
import java.util.BitSet;
import java.util.List;

/**
 * What a request did to one file: the edited text, the changes made, and which specs (by their
 * index in {@link BumpRequest#specs()}) matched a place in it, changed or already up to date.
 */
public record FileBump(EditedYaml edited, List<ValueChange> changes, BitSet matched) {
  public FileBump {
    changes = List.copyOf(changes);
    matched = (BitSet) matched.clone();
  }

  public boolean changed() {
    return edited.changed();
  }
}
