package dev.bumper.git;

import dev.bumper.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The commits a push made again on a new tip and sent, each beside the local commit it was made
 * from, in {@code .git/bumper/landings}: written before the push, cleared once a push is known to
 * have landed. A run killed after the remote took such a commit, and before it moved the checkout
 * there, leaves its local commit and intents; the next run's replay would apply the intents again
 * on a tip that has since moved on, a second copy of the bump over a later one. With this record,
 * a local commit whose remade commit the tip holds is known to be on the remote already.
 */
final class Landings {
  private final Path file;

  Landings(Path gitDir) {
    this.file = gitDir.resolve("bumper").resolve("landings");
  }

  /** Notes that {@code pushed}, made from {@code local}, is about to be pushed. */
  void record(AnyObjectId local, AnyObjectId pushed) throws IOException {
    List<String> lines = new ArrayList<>(lines());
    lines.add(local.name() + " " + pushed.name());
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** The local commits whose remade commit {@code tip} holds: they are on the remote already. */
  List<RevCommit> landedIn(RevWalk walk, RevCommit tip) throws IOException {
    List<RevCommit> landed = new ArrayList<>();
    for (String line : lines()) {
      String[] ids = line.split(" ");
      if (ids.length != 2 || !ObjectId.isId(ids[0]) || !ObjectId.isId(ids[1])) {
        continue; // not one of ours: it says nothing
      }
      try {
        RevCommit pushed = walk.parseCommit(ObjectId.fromString(ids[1]));
        if (walk.isMergedInto(pushed, tip)) {
          landed.add(walk.parseCommit(ObjectId.fromString(ids[0])));
        }
      } catch (MissingObjectException e) {
        // gone since (a gc after the checkout moved on): it cannot be in this history
      }
      walk.reset();
    }
    return landed;
  }

  /** Forgets every record: called once a push landed and the checkout is on it. */
  void clear() throws IOException {
    Files.deleteIfExists(file);
  }

  private List<String> lines() throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }
}
