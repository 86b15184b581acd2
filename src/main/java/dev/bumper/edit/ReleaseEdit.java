package dev.bumper.edit;

import java.io.IOException;
import java.util.List;

/**
 * {@code bumper release}: the hold of an environment lifted, its entry removed from
 * {@link Holds#FILE}, so that bumps of it go through again.
 *
 * @param path the environment, from {@code root}
 */
public record ReleaseEdit(String root, String path) implements Edit {
  public static final String COMMAND = "release";

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public ReleaseEdit atRoot(String root) {
    return new ReleaseEdit(root, path);
  }

  @Override
  public EnvironmentEditResult apply(FileTree tree) throws IOException {
    String held = Holds.normalize(Edit.join(root, path));
    RollbackEdit.FileChange change = RollbackEdit.holdsChange(tree, "", held, null);
    return new EnvironmentEditResult(List.of(), change.edit(), change.before(),
        List.of("Release the hold on " + RollbackEdit.shown(held)), false);
  }
}
