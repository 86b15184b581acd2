package dev.bumper.io;

import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.FileBump;
import dev.bumper.manifest.InvalidRequestException;
import dev.bumper.manifest.ManifestBumper;
import dev.bumper.manifest.TextPrefilter;
import dev.bumper.yaml.EditConflictException;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Bumps many files in one process: reads each, skips those that cannot match without parsing
 * them, bumps the rest on all cores, and writes the changed ones only when every file succeeded.
 */
public final class TreeBumper {
  /** Workers get a large stack: composing and walking deeply nested YAML recurses. */
  private static final long WORKER_STACK_BYTES = 256L * 1024 * 1024;

  private final BumpRequest request;
  private final int threads;

  public TreeBumper(BumpRequest request, int threads) {
    this.request = request;
    this.threads = Math.max(1, threads);
  }

  /** Hands the sources to bump to a sink: a directory walk, or the paths of a Git tree. */
  public interface Sources {
    void each(Consumer<ManifestSource> sink) throws IOException;
  }

  /** Bumps the files; writes nothing. */
  public TreeBump bump(List<? extends ManifestSource> files) {
    try {
      return bump(sink -> files.forEach(sink));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Bumps sources as they are produced: workers read, filter and bump while the producer (a
   * directory walk, mostly waiting on the file system) is still listing. Writes nothing. Results
   * are in display-path order whatever order the sources came in.
   */
  public TreeBump bump(Sources sources) throws IOException {
    ManifestBumper bumper = new ManifestBumper(request);
    TextPrefilter prefilter = TextPrefilter.of(request);
    BlockingQueue<Indexed> queue = new LinkedBlockingQueue<>();
    List<ManifestSource> all = new ArrayList<>();
    Map<Integer, Object> results = new ConcurrentHashMap<>();
    Runnable work =
        () -> {
          while (true) {
            Indexed item;
            try {
              item = queue.take();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            if (item.source() == null) {
              return;
            }
            Object result;
            try {
              result = bumpOne(bumper, prefilter, item.source());
            } catch (RuntimeException | Error e) {
              // A file that ends its worker would be counted as not matching, and the other
              // files written: every file must have an outcome for all-or-nothing to hold.
              result = internalError(item.source(), e);
            }
            if (result != null) {
              results.put(item.index(), result);
            }
          }
        };
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(null, work, "bumper-" + t, WORKER_STACK_BYTES);
      thread.start();
      started.add(thread);
    }
    try {
      sources.each(
          source -> {
            queue.add(new Indexed(all.size(), source));
            all.add(source);
          });
    } finally {
      for (int t = 0; t < threads; t++) {
        queue.add(new Indexed(-1, null));
      }
      for (Thread thread : started) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
    List<Integer> order = new ArrayList<>(results.keySet());
    order.sort((a, b) -> all.get(a).display().compareTo(all.get(b).display()));
    List<ManifestSource> changedFiles = new ArrayList<>();
    List<FileBump> changedBumps = new ArrayList<>();
    List<FileFailure> failures = new ArrayList<>();
    BitSet matched = new BitSet();
    for (int i : order) {
      Object result = results.get(i);
      if (result instanceof FileFailure failure) {
        failures.add(failure);
      } else if (result instanceof FileBump bump) {
        matched.or(bump.matched());
        if (bump.changed()) {
          changedFiles.add(all.get(i));
          changedBumps.add(bump);
        }
      }
    }
    return new TreeBump(all.size(), changedFiles, changedBumps, matched, failures);
  }

  private record Indexed(int index, ManifestSource source) {}

  /** A FileBump, a FileFailure, or null for a file that cannot match. */
  private Object bumpOne(ManifestBumper bumper, TextPrefilter prefilter, ManifestSource file) {
    try {
      byte[] bytes = file.read();
      if (prefilter != null && !prefilter.mayMatch(bytes)) {
        return null;
      }
      FileBump bump = bumper.bump(file.display(), SourceText.decode(file.display(), bytes));
      return bump.matched().isEmpty() && !bump.changed() ? null : bump;
    } catch (InvalidYamlException e) {
      return new FileFailure(file.display(), 4, e.getMessage());
    } catch (EditConflictException | InvalidRequestException e) {
      return new FileFailure(file.display(), 2, e.getMessage());
    } catch (SelfCheckException e) {
      return new FileFailure(file.display(), 1, e.getMessage());
    } catch (OutsideRootException e) {
      return new FileFailure(file.display(), 1,
          e.message(file.display()) + " (--exclude '" + file.display() + "' leaves it out)");
    } catch (IOException e) {
      return new FileFailure(file.display(), 1, file.display() + ": cannot read: " + IoErrors.reason(e));
    } catch (OutOfMemoryError e) {
      return new FileFailure(
          file.display(), 1, file.display() + ": too large to edit in the memory available (java -Xmx sets more)");
    } catch (StackOverflowError e) {
      return new FileFailure(file.display(), 4, file.display() + ": nesting too deep");
    }
  }

  private static FileFailure internalError(ManifestSource file, Throwable e) {
    return new FileFailure(
        file.display(), 1, file.display() + ": internal error, nothing written: " + e);
  }

  /**
   * Writes the changed files, each atomically, each to its real path inside {@code root}. Called
   * only when no file failed, so that a run writes all of its files or none.
   */
  public static void write(WriteRoot root, TreeBump bump) throws IOException {
    Map<java.nio.file.Path, byte[]> contents = new LinkedHashMap<>();
    for (int i = 0; i < bump.changedFiles().size(); i++) {
      contents.put(
          ((ManifestFile) bump.changedFiles().get(i)).path(),
          bump.changedBumps().get(i).edited().newText().getBytes(StandardCharsets.UTF_8));
    }
    AtomicFiles.writeAll(root, contents);
  }
}
