package dev.bumper.git;

import java.io.IOException;
import java.util.List;

/** The files of one commit of the config repo, read straight from the object database. */
public interface Snapshot {
  /** Paths of regular files, {@code /}-separated, in tree order. */
  List<String> paths();

  byte[] read(String path) throws IOException;
}
