package dev.bumper.edit;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.image.ImageReference;
import dev.bumper.image.ImageUpdate;
import dev.bumper.image.InvalidReferenceException;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.PathArguments;
import dev.bumper.manifest.DeployedImages;
import dev.bumper.manifest.DeployedImages.Deployed;
import dev.bumper.manifest.Promotion;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code promote}: the references the environment {@code from} deploys set in the environment
 * {@code to} (both paths relative to {@code root}), for the images {@code to} uses, or only those
 * in {@code images}. The source is read from the same tree the target is edited in, so that a
 * replay after a lost push race promotes what the source runs on the new tip.
 *
 * <p>A reference without a digest is promoted only with {@code pinDigest}: its tag pinned to the
 * digest in {@code pinned} (keyed {@code repository:tag}, as looked up by the run that recorded
 * the edit, so a replay does not ask again), else to what {@code lookup} says.
 *
 * @param lookup asks a registry for a tag's digest; null when the edit was read back from JSON
 */
public record PromoteEdit(
    String root,
    String from,
    String to,
    List<String> images,
    boolean pinDigest,
    Map<String, String> pinned,
    DigestLookup lookup)
    implements Edit {
  public static final String COMMAND = "promote";

  /** The digest a registry has for a tag. */
  @FunctionalInterface
  public interface DigestLookup {
    /**
     * @param tagged a reference with a tag and no digest
     * @return its digest, {@code sha256:...}
     */
    String digest(ImageReference tagged) throws IOException;
  }

  public PromoteEdit {
    from = environment("--from", from);
    to = environment("--to", to);
    if (overlaps(from, to)) {
      throw new UsageException("--from " + show(from) + " and --to " + show(to)
          + ": one environment inside the other; promote copies between two separate paths");
    }
    images = List.copyOf(images);
    for (String image : images) {
      repository(image);
    }
    pinned = new TreeMap<>(pinned);
  }

  /** An edit made from the command line, before any digest was looked up. */
  public PromoteEdit(String root, String from, String to, List<String> images, boolean pinDigest,
      DigestLookup lookup) {
    this(root, from, to, images, pinDigest, Map.of(), lookup);
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public PromoteEdit atRoot(String root) {
    return new PromoteEdit(root, from, to, images, pinDigest, pinned, lookup);
  }

  /** The same edit, with the digests a run looked up, for a replay to use as they were. */
  public PromoteEdit withPinned(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(pinned);
    all.putAll(more);
    return new PromoteEdit(root, from, to, images, pinDigest, all, lookup);
  }

  /** The source and the target as paths of the tree. */
  public String source() {
    return Edit.join(root, from);
  }

  public String target() {
    return Edit.join(root, to);
  }

  @Override
  public Map<String, String> trailers(String commit) {
    Map<String, String> trailers = new LinkedHashMap<>();
    trailers.put("Promoted-From", show(source()));
    if (commit != null && !commit.isEmpty()) {
      trailers.put("Promoted-From-Commit", commit);
    }
    return trailers;
  }

  @Override
  public PromoteEditResult apply(FileTree tree) throws IOException {
    List<Deployed> source = read(tree, "--from", from);
    List<Deployed> target = read(tree, "--to", to);
    Promotion.Plan plan;
    try {
      plan = Promotion.plan(source, target, images.stream().map(PromoteEdit::repository).toList(),
          show(source()), show(target()));
    } catch (Promotion.Refusal e) {
      int exitCode = e.reason() == Promotion.Refusal.Reason.AMBIGUOUS
          ? ExitCode.INVALID_INPUT : ExitCode.NO_MATCH;
      throw new EditFailedException(exitCode, e.getMessage(), e.lines());
    }
    Map<String, String> looked = new TreeMap<>();
    List<ImageUpdate> updates = new ArrayList<>();
    List<Promoted> promoted = new ArrayList<>();
    List<String> undigested = new ArrayList<>();
    for (Promotion.Image image : plan.images()) {
      ImageReference reference = image.reference();
      String pinnedDigest = null;
      if (reference.digest() == null) {
        if (!pinDigest) {
          undigested.add("bumper: %s deploys %s without a digest (%s)".formatted(show(source()),
              reference, image.places().get(0).where()));
          continue;
        }
        pinnedDigest = pin(reference, looked);
        reference = reference.withDigest(pinnedDigest);
      }
      updates.add(ImageUpdate.parse(reference.toString()));
      promoted.add(new Promoted(image.repository(), reference, pinnedDigest != null,
          image.places().stream().map(Deployed::where).toList()));
    }
    if (!undigested.isEmpty()) {
      undigested.add("bumper: a tag can point to another image by the time it reaches "
          + show(target()) + "; give --pin-digest to promote the digest the registry has for it"
          + " now, or deploy a digest there; nothing written");
      throw new EditFailedException(ExitCode.INVALID_INPUT, undigested.get(0), undigested);
    }
    ManifestEditResult bump = new ManifestEdit(root, updates, List.of(), List.of(), List.of(),
        List.of(), List.of(to), false).apply(tree);
    List<Promoted> unused = plan.unused().stream().map(image -> new Promoted(image.repository(),
        image.reference(), false, image.places().stream().map(Deployed::where).toList())).toList();
    return new PromoteEditResult(show(source()), show(target()), promoted, unused, looked, bump);
  }

  /** One image the source deploys: the reference, whether its digest was looked up, and where. */
  public record Promoted(String repository, ImageReference reference, boolean pinned,
      List<String> places) {
    public Promoted {
      places = List.copyOf(places);
    }
  }

  /** The digest for a tag: as recorded, else looked up now, and remembered in {@code looked}. */
  private String pin(ImageReference reference, Map<String, String> looked) throws IOException {
    if (reference.tag() == null) {
      throw new EditFailedException(ExitCode.INVALID_INPUT, "no tag to pin", List.of(
          "bumper: %s deploys %s, with neither a tag nor a digest: --pin-digest has no tag to"
              .formatted(show(source()), reference) + " look up; nothing written"));
    }
    String key = reference.repository() + ":" + reference.tag();
    String digest = pinned.get(key);
    if (digest == null && lookup != null) {
      digest = lookup.digest(reference);
    }
    if (digest == null) {
      // read back from an intent: the registry is not reached on a replay
      throw new EditFailedException(ExitCode.FAILURE, "no digest for " + reference, List.of(
          "bumper: %s now deploys %s, whose digest was not looked up when the promote was made;"
              .formatted(show(source()), reference) + " run bumper promote --pin-digest again"));
    }
    looked.put(key, digest);
    return digest;
  }

  private List<Deployed> read(FileTree tree, String option, String path) throws IOException {
    List<ManifestSource> files = new ArrayList<>();
    tree.manifests(root, List.of(path), List.of(), List.of(), files::add);
    // in path order, as a commit lists them, whatever order a directory walk finds them in
    files.sort(Comparator.comparing(ManifestSource::display));
    if (files.isEmpty()) {
      throw new UsageException(option + " " + show(Edit.join(root, path))
          + ": no manifest there (YAML files or a Kustomization)");
    }
    List<Deployed> deployed = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (ManifestSource file : files) {
      try {
        deployed.addAll(DeployedImages.of(file.display(),
            SourceText.decode(file.display(), file.read())));
      } catch (InvalidYamlException e) {
        invalid.add(e.getMessage());
      }
    }
    if (!invalid.isEmpty()) {
      invalid.add("bumper: %d of %d files under %s could not be read; nothing written".formatted(
          invalid.size(), files.size(), show(Edit.join(root, path))));
      throw new EditFailedException(ExitCode.INVALID_INPUT, invalid.get(0), invalid);
    }
    return deployed;
  }

  /** A path of the repository: relative, normalized, not leading out of it. */
  private static String environment(String option, String path) {
    if (path == null || path.isBlank()) {
      throw new UsageException(option + ": give the environment's path in the repository");
    }
    Path normalized = PathArguments.of(path).normalize();
    String text = normalized.toString().replace('\\', '/');
    if (normalized.isAbsolute() || text.equals("..") || text.startsWith("../")) {
      throw new UsageException(option + " " + path + ": outside the repository");
    }
    return text.equals(".") ? "" : text;
  }

  private static boolean overlaps(String a, String b) {
    return a.equals(b) || a.isEmpty() || b.isEmpty() || a.startsWith(b + "/")
        || b.startsWith(a + "/");
  }

  /** An --image: a repository, in any spelling, without a tag or digest. */
  private static ImageReference repository(String image) {
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(image);
    } catch (InvalidReferenceException e) {
      throw new UsageException("--image " + image + ": " + e.getMessage());
    }
    if (parsed.tag() != null || parsed.digest() != null) {
      throw new UsageException("--image " + image
          + ": names a repository to promote, without a tag or digest (the source's are promoted)");
    }
    return parsed;
  }

  private static String show(String path) {
    return path.isEmpty() ? "." : path;
  }
}
