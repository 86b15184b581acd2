package dev.bumper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bumper.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample of {@link DamagedCorpusTest} through the packaged jar, as CI runs it: what the JVM
 * itself prints (an uncaught exception in any thread, an OutOfMemoryError) shows here only.
 */
class DamagedCorpusIT {
  private static final int CASES = 200;
  private static final int BATCH = 25;

  @TempDir Path tmp;

  @Test
  void damagedFilesThroughTheJarEndCleanly() throws Exception {
    List<DamagedCorpus.Case> cases = DamagedCorpus.cases(Corpus.load(), CASES, 31_337L);
    JarProcess jar = new JarProcess(tmp);
    Map<Integer, Integer> codes = new TreeMap<>();
    for (int from = 0; from < CASES; from += BATCH) {
      List<DamagedCorpus.Case> batch = cases.subList(from, from + BATCH);
      Path root = Files.createDirectories(tmp.resolve("batch-" + from));
      Map<Path, byte[]> before = DamagedCorpus.write(root, batch);
      List<String> args = new ArrayList<>(List.of("-v", "bump-manifest", "--allow-no-match"));
      args.addAll(DamagedCorpus.imageArgs(batch));
      JarProcess.Result run = jar.run(root, args);
      String what = "batch from " + batch.get(0) + "\n" + run;
      assertThat(run.code()).as(what).isIn(0, 4);
      assertThat(run.out() + run.err()).as(what).doesNotContainPattern(DamagedCorpus.CRASH);
      DamagedCorpus.checkFiles(root, before, run.code(), what);
      codes.merge(run.code(), 1, Integer::sum);
    }
    System.out.printf("[DamagedCorpusIT] %d damaged files in %d batches through the jar: exit codes %s%n",
        CASES, CASES / BATCH, codes);
  }
}
