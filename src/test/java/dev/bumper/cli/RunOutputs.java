package dev.bumper.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the bumper processes of one test printed, the ones it waited for and the ones it
 * killed, kept so that a single search after the test covers every case: no user's mistake, no
 * hostile input and no kill ever makes bumper print "internal error".
 */
final class RunOutputs {
  /** A process started with its output kept; {@link #err()} reads what it printed so far. */
  record Started(Process process, Path errFile) {
    String err() throws IOException {
      return Files.readString(errFile, UTF_8);
    }
  }

  private final Path dir;
  private final List<String> texts = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();

  /** @param scratch a directory for the output files of started processes */
  RunOutputs(Path scratch) throws IOException {
    this.dir = Files.createDirectories(scratch.resolve("outputs"));
  }

  /** Keeps what a finished run printed. */
  JarProcess.Result keep(JarProcess.Result result) {
    texts.add(result.out());
    texts.add(result.err());
    return result;
  }

  /** Starts {@code builder} with stdout and stderr in files kept for the search. */
  Started start(ProcessBuilder builder) throws IOException {
    int n = files.size();
    Path out = dir.resolve(n + ".out");
    Path err = dir.resolve(n + ".err");
    files.add(out);
    files.add(err);
    return new Started(builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), err);
  }

  /** What grep -r 'internal error' over every output would find: nothing. */
  void assertNoInternalError() throws IOException {
    List<String> all = new ArrayList<>(texts);
    for (Path file : files) {
      all.add(Files.exists(file) ? Files.readString(file, UTF_8) : "");
    }
    assertThat(all).as("outputs of %d runs", all.size() / 2).noneMatch(text -> text.contains("internal error"));
  }
}
