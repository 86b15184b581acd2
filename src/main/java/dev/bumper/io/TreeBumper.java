package dev.bumper.io;

import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.FileBump;
import dev.bumper.manifest.ManifestBumper;
import dev.bumper.manifest.TextPrefilter;
import dev.bumper.yaml.EditConflictException;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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

  /** Bumps the files; writes nothing. */
  public TreeBump bump(List<? extends ManifestSource> files) {
    ManifestBumper bumper = new ManifestBumper(request);
    TextPrefilter prefilter = TextPrefilter.of(request);
    Object[] results = new Object[files.size()];
    AtomicInteger next = new AtomicInteger();
    Runnable work =
        () -> {
          int i;
          while ((i = next.getAndIncrement()) < files.size()) {
            results[i] = bumpOne(bumper, prefilter, files.get(i));
          }
        };
    int workers = Math.min(threads, Math.max(1, files.size()));
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < workers; t++) {
      Thread thread = new Thread(null, work, "bumper-" + t, WORKER_STACK_BYTES);
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    List<ManifestSource> changedFiles = new ArrayList<>();
    List<FileBump> changedBumps = new ArrayList<>();
    List<FileFailure> failures = new ArrayList<>();
    BitSet matched = new BitSet();
    for (int i = 0; i < results.length; i++) {
      Object result = results[i];
      if (result instanceof FileFailure failure) {
        failures.add(failure);
      } else if (result instanceof FileBump bump) {
        matched.or(bump.matched());
        if (bump.changed()) {
          changedFiles.add(files.get(i));
          changedBumps.add(bump);
        }
      }
    }
    return new TreeBump(files.size(), changedFiles, changedBumps, matched, failures);
  }

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
    } catch (EditConflictException e) {
      return new FileFailure(file.display(), 2, e.getMessage());
    } catch (SelfCheckException e) {
      return new FileFailure(file.display(), 1, e.getMessage());
    } catch (IOException e) {
      return new FileFailure(file.display(), 1, file.display() + ": cannot read: " + e);
    } catch (OutOfMemoryError e) {
      return new FileFailure(
          file.display(), 1, file.display() + ": too large to edit in the memory available (java -Xmx sets more)");
    } catch (StackOverflowError e) {
      return new FileFailure(file.display(), 4, file.display() + ": nesting too deep");
    }
  }

  /**
   * Writes the changed files, each atomically. Called only when no file failed, so that a run
   * writes all of its files or none.
   */
  public static void write(TreeBump bump) throws IOException {
    Map<java.nio.file.Path, byte[]> contents = new LinkedHashMap<>();
    for (int i = 0; i < bump.changedFiles().size(); i++) {
      contents.put(
          ((ManifestFile) bump.changedFiles().get(i)).path(),
          bump.changedBumps().get(i).edited().newText().getBytes(StandardCharsets.UTF_8));
    }
    AtomicFiles.writeAll(contents);
  }
}
