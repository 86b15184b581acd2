package dev.bumper.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pushes an image, given as manifest bytes and a store of blobs, to a repository without changing
 * a byte of any manifest, so the digest stays what it was: for a tarball from {@code build-image
 * --tar}, and for a copy from another repository. An index is pushed with all its images.
 *
 * <p>Blobs the repository has are skipped, blobs of another repository on the same registry are
 * mounted, and the rest are uploaded, up to {@value #PARALLEL} at a time. Then the manifests go
 * up: an index's images by digest, the top one under each tag.
 */
final class ImageTransfer {
  static final int PARALLEL = 4;

  /** Where the image's bytes come from. */
  interface Store {
    /** The bytes of a blob. */
    Blob.Source source(Blob blob);

    /** The bytes of a manifest an index lists. */
    byte[] manifest(Blob blob);

    /** The repository on {@code targetRegistry} to mount blobs from, or null. */
    String mountFrom(String targetRegistry);
  }

  private final RegistryClient target;
  private final String repository;
  private final Store store;
  private final Progress progress;

  ImageTransfer(RegistryClient target, String repository, Store store, Progress progress) {
    this.target = target;
    this.repository = repository;
    this.store = store;
    this.progress = progress;
  }

  /** What a transfer did. */
  record Result(String digest, int blobsUploaded, int blobsSkipped, long bytesUploaded) {}

  /**
   * Pushes the image whose manifest is {@code manifest} and tags it.
   *
   * @param references the tags to push it under; empty to push it by digest only
   */
  Result push(byte[] manifest, String mediaType, List<String> references) {
    String digest = Digests.of(manifest);
    ManifestJson.Parsed top = ManifestJson.parse(manifest, mediaType, "manifest " + digest);
    Map<String, Blob> blobs = new LinkedHashMap<>();
    List<ChildManifest> children = new ArrayList<>();
    collect(top, blobs, children, 0);

    List<Blob> missing = missing(new ArrayList<>(blobs.values()));
    long bytes = missing.stream().mapToLong(Blob::size).sum();
    upload(missing, bytes);

    for (ChildManifest child : children) {
      target.putManifest(repository, child.digest(), child.bytes(), child.mediaType());
    }
    if (references.isEmpty()) {
      target.putManifest(repository, digest, manifest, top.mediaType());
    }
    for (String reference : references) {
      target.putManifest(repository, reference, manifest, top.mediaType());
      progress.line("manifest " + Digests.shortForm(digest) + " pushed as " + repository + ":" + reference);
    }
    return new Result(digest, missing.size(), blobs.size() - missing.size(), bytes);
  }

  private record ChildManifest(String digest, byte[] bytes, String mediaType) {}

  /** The blobs of an image, and for an index its images' manifests, children first. */
  private void collect(ManifestJson.Parsed manifest, Map<String, Blob> blobs, List<ChildManifest> children, int depth) {
    if (!manifest.isIndex()) {
      blobs.putIfAbsent(manifest.config().digest(), manifest.config());
      for (Blob layer : manifest.layers()) {
        blobs.putIfAbsent(layer.digest(), layer);
      }
      return;
    }
    if (depth > 4) {
      throw ContainerException.invalidInput("indexes nested deeper than 4");
    }
    for (ManifestJson.Child child : manifest.manifests()) {
      byte[] bytes = store.manifest(child.blob());
      if (!Digests.of(bytes).equals(child.blob().digest())) {
        throw ContainerException.failure("manifest " + child.blob().digest() + " does not match its digest");
      }
      ManifestJson.Parsed parsed = ManifestJson.parse(bytes, child.blob().mediaType(), "manifest " + child.blob().digest());
      collect(parsed, blobs, children, depth + 1);
      children.add(new ChildManifest(child.blob().digest(), bytes, parsed.mediaType()));
    }
  }

  /** The blobs the repository still needs after checks and mounts. */
  private List<Blob> missing(List<Blob> blobs) {
    String mountFrom = store.mountFrom(target.registry());
    List<Blob> missing = new ArrayList<>();
    List<Boolean> present =
        parallel(blobs, blob -> {
          if (target.blobSize(repository, blob.digest()).isPresent()) {
            progress.line("blob " + Digests.shortForm(blob.digest()) + " (" + TransferProgress.megabytes(blob.size()) + " MB): exists");
            return true;
          }
          if (mountFrom != null && target.mount(repository, mountFrom, blob.digest())) {
            progress.line("blob " + Digests.shortForm(blob.digest()) + " (" + TransferProgress.megabytes(blob.size()) + " MB): mounted from " + mountFrom);
            return true;
          }
          return false;
        });
    for (int i = 0; i < blobs.size(); i++) {
      if (!present.get(i)) {
        missing.add(blobs.get(i));
      }
    }
    return missing;
  }

  private void upload(List<Blob> missing, long bytes) {
    TransferProgress transfer = new TransferProgress(progress, bytes);
    parallel(missing, blob -> {
      target.upload(repository, blob, store.source(blob), transfer::add);
      progress.line("blob " + Digests.shortForm(blob.digest()) + " (" + TransferProgress.megabytes(blob.size()) + " MB): uploaded");
      return true;
    });
  }

  private interface Task<T> {
    T run(Blob blob);
  }

  /** Runs {@code task} for every blob, a few at a time; the first failure ends them all. */
  private static <T> List<T> parallel(List<Blob> blobs, Task<T> task) {
    if (blobs.size() <= 1) {
      List<T> results = new ArrayList<>();
      for (Blob blob : blobs) {
        results.add(task.run(blob));
      }
      return results;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, blobs.size()));
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Blob blob : blobs) {
        futures.add(pool.submit(() -> task.run(blob)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ContainerException.failure("interrupted");
    } finally {
      pool.shutdownNow();
    }
  }
}
