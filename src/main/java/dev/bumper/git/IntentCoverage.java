package dev.bumper.git;

import dev.bumper.edit.EditFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/**
 * Whether the files a checkout's recorded edits changed hold exactly what those edits make of
 * HEAD: only then can the edits stand for the changes, to be built again elsewhere (on a pull
 * request's branch) while the files are set back.
 */
public final class IntentCoverage {
  private IntentCoverage() {}

  /**
   * The first file the intents changed whose bytes in the work tree are not what the intents
   * make of HEAD (a hand edit in it, or an intent that no longer applies), or empty.
   */
  public static Optional<String> firstOtherChange(Repository repo, List<Intent> intents)
      throws IOException {
    ObjectId tree = repo.resolve("HEAD^{tree}");
    if (tree == null) {
      return intents.stream().flatMap(intent -> intent.files().stream()).findFirst();
    }
    TreeSet<String> files = new TreeSet<>();
    try (ObjectReader reader = repo.newObjectReader();
        TreeSnapshot snapshot = new TreeSnapshot(reader, tree)) {
      OverlaySnapshot applied = new OverlaySnapshot(snapshot);
      for (Intent intent : intents) {
        files.addAll(intent.files());
        try {
          applied.put(EditChange.of(intent.edit()).apply(applied).files());
        } catch (EditFailedException e) {
          return intent.files().stream().findFirst();
        }
      }
      Path top = repo.getWorkTree().toPath();
      for (String file : files) {
        Path path = top.resolve(file);
        byte[] actual = Files.isRegularFile(path) ? Files.readAllBytes(path) : null;
        byte[] expected;
        try {
          expected = applied.read(file);
        } catch (IOException e) {
          expected = null;
        }
        if (!Arrays.equals(actual, expected)) {
          return Optional.of(file);
        }
      }
    }
    return Optional.empty();
  }
}
