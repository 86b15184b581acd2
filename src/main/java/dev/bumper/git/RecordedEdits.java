package dev.bumper.git;

import dev.bumper.edit.Edit;
import dev.bumper.edit.EditJson;
import dev.bumper.edit.EditResult;
import dev.bumper.io.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The edits a pull request's branch records, oldest first, and the base tip they were built on:
 * read from the branch's commits ({@code Bumper-Edit:} and {@code Bumper-Base:}), each checked
 * by applying its edit to its parent again, which must give the commit's own tree. A commit that
 * does not pass (someone else's, one amended by hand, a trailer copied into another commit) makes
 * the branch not bumper's to rebuild: {@link #read} gives null, and the branch is added to, never
 * rewritten.
 */
record RecordedEdits(String base, List<Edit> edits) {
  static final String EDIT_TRAILER = "Bumper-Edit";
  static final String BASE_TRAILER = "Bumper-Base";

  /** The edits of the branch at {@code tip}, or null when it is not all bumper's own. */
  static RecordedEdits read(MemoryRepository memory, RevCommit tip) throws IOException {
    List<Edit> edits = new ArrayList<>();
    String base = null;
    try (RevWalk walk = new RevWalk(memory.repository());
        ObjectReader reader = memory.repository().newObjectReader();
        ObjectInserter inserter = memory.repository().newObjectInserter()) {
      RevCommit at = walk.parseCommit(tip);
      while (true) {
        String builtOn = footer(at, BASE_TRAILER);
        String recorded = footer(at, EDIT_TRAILER);
        if (builtOn == null || recorded == null || (base != null && !base.equals(builtOn))
            || at.getParentCount() != 1) {
          return null;
        }
        base = builtOn;
        RevCommit parent;
        try {
          parent = walk.parseCommit(at.getParent(0));
        } catch (MissingObjectException e) {
          return null; // beyond what was fetched
        }
        Edit edit;
        try {
          edit = EditJson.read(JsonReader.parse(recorded));
          if (!replays(edit, parent, at, reader, inserter)) {
            return null;
          }
        } catch (RuntimeException e) {
          return null;
        }
        edits.add(edit);
        if (parent.name().equals(base)) {
          Collections.reverse(edits);
          return new RecordedEdits(base, List.copyOf(edits));
        }
        at = parent;
      }
    }
  }

  /** Whether {@code edit} applied to {@code parent} makes exactly {@code commit}'s tree. */
  private static boolean replays(Edit edit, RevCommit parent, RevCommit commit,
      ObjectReader reader, ObjectInserter inserter) throws IOException {
    EditResult result;
    try (TreeSnapshot snapshot = new TreeSnapshot(reader, parent.getTree())) {
      result = edit.apply(snapshot);
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    result.edits().forEach(file -> files.put(file.path(), file.content()));
    ObjectId tree = TreeWriter.write(inserter, reader, parent.getTree(), files);
    return result.changed() && tree.equals(commit.getTree());
  }

  private static String footer(RevCommit commit, String key) {
    List<String> values = commit.getFooterLines(key);
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
