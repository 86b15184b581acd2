package dev.bumper.edit;

import dev.bumper.failure.ExitCode;
import dev.bumper.image.ImageUpdate;
import dev.bumper.image.Suggestions;
import dev.bumper.io.FileFailure;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.TreeBump;
import dev.bumper.io.TreeBumper;
import dev.bumper.manifest.BumpRequest;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import dev.bumper.manifest.RepositoriesInUse;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A {@code bump-manifest}: images, path assignments and Flux policies to set in the manifests
 * under {@code paths} (relative to {@code root}; none: all of it) that the globs select; with
 * {@code createKeys}, a path's missing last key is added.
 */
public record ManifestEdit(
    String root,
    List<ImageUpdate> images,
    List<PathAssignment> sets,
    List<PolicyAssignment> policies,
    List<String> includes,
    List<String> excludes,
    List<String> paths,
    boolean allowNoMatch,
    boolean createKeys,
    boolean force)
    implements Edit {
  public static final String COMMAND = "bump-manifest";

  /** An edit that sets only values that are there. */
  public ManifestEdit(String root, List<ImageUpdate> images, List<PathAssignment> sets, List<PolicyAssignment> policies,
      List<String> includes, List<String> excludes, List<String> paths, boolean allowNoMatch) {
    this(root, images, sets, policies, includes, excludes, paths, allowNoMatch, false);
  }

  /** An edit that a hold refuses. */
  public ManifestEdit(String root, List<ImageUpdate> images, List<PathAssignment> sets,
      List<PolicyAssignment> policies, List<String> includes, List<String> excludes,
      List<String> paths, boolean allowNoMatch, boolean createKeys) {
    this(root, images, sets, policies, includes, excludes, paths, allowNoMatch, createKeys, false);
  }

  public ManifestEdit {
    images = List.copyOf(images);
    sets = List.copyOf(sets);
    policies = List.copyOf(policies);
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    paths = List.copyOf(paths);
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public ManifestEdit atRoot(String root) {
    return new ManifestEdit(
        root, images, sets, policies, includes, excludes, paths, allowNoMatch, createKeys, force);
  }

  /** The same edit, made whatever holds stand ({@code --force}). */
  public ManifestEdit forced() {
    return new ManifestEdit(
        root, images, sets, policies, includes, excludes, paths, allowNoMatch, createKeys, true);
  }

  /** The same edit on other paths (relative to its root). */
  public ManifestEdit withPaths(List<String> paths) {
    return new ManifestEdit(
        root, images, sets, policies, includes, excludes, paths, allowNoMatch, createKeys, force);
  }

  public BumpRequest request() {
    return new BumpRequest(images, sets, policies, createKeys);
  }

  @Override
  public ManifestEditResult apply(FileTree tree) throws IOException {
    BumpRequest request = request();
    TreeBump bump = new TreeBumper(request, Runtime.getRuntime().availableProcessors())
        .bump(sink -> tree.manifests(root, paths, includes, excludes, sink));
    if (bump.failed()) {
      List<String> lines = new ArrayList<>();
      bump.failures().forEach(failure -> lines.add(failure.message()));
      lines.add("bumper: %d of %d files could not be bumped; nothing written"
          .formatted(bump.failures().size(), bump.filesScanned()));
      int exitCode = bump.failures().stream().mapToInt(FileFailure::exitCode).max().orElse(ExitCode.FAILURE);
      throw new EditFailedException(exitCode, "failed", lines);
    }
    List<String> unmatched = unmatched(request, bump);
    if (!unmatched.isEmpty() && !allowNoMatch) {
      Set<String> inUse = unmatched.stream().anyMatch(spec -> spec.startsWith("--image ")) ? inUse(tree) : Set.of();
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < request.specs().size(); i++) {
        if (bump.matched().get(i)) {
          continue;
        }
        List<String> near = i < images.size() ? Suggestions.closest(images.get(i).target().repository(), inUse) : List.of();
        lines.add("bumper: %s matched nothing in %d %s%s".formatted(request.specs().get(i), bump.filesScanned(),
            bump.filesScanned() == 1 ? "file" : "files",
            near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?"));
      }
      lines.add("bumper: nothing written (use --allow-no-match to accept)");
      throw new EditFailedException(ExitCode.NO_MATCH, "nothing matched", lines);
    }
    ManifestEditResult result = new ManifestEditResult(
        bump, unmatched.stream().map(spec -> "bumper: " + spec + " matched nothing").toList());
    Holds.refuse(tree, result, force);
    return result;
  }

  /**
   * The repositories the files under the edit's paths use: read again, and parsed whole, only when
   * a spec matched nothing, to name what the user probably meant. Every file with an image key is
   * parsed, so on all cores: 20,000 manifests took 5.7 s on one.
   */
  private Set<String> inUse(FileTree tree) throws IOException {
    List<ManifestSource> sources = new ArrayList<>();
    tree.manifests(root, paths, includes, excludes, sources::add);
    return sources.parallelStream()
        .flatMap(source -> repositoriesIn(source).stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> repositoriesIn(ManifestSource source) {
    try {
      return RepositoriesInUse.of(source.display(), SourceText.decode(source.display(), source.read()));
    } catch (IOException | RuntimeException e) {
      // a file that cannot be read suggests nothing; the run already failed for what it asked
      return Set.of();
    }
  }

  private static List<String> unmatched(BumpRequest request, TreeBump bump) {
    List<String> specs = request.specs();
    List<String> unmatched = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      if (!bump.matched().get(i)) {
        unmatched.add(specs.get(i));
      }
    }
    return unmatched;
  }
}
