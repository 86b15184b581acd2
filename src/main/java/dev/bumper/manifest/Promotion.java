package dev.bumper.manifest;

import dev.bumper.image.ImageReference;
import dev.bumper.manifest.DeployedImages.Deployed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code promote} copies: for each repository the source environment deploys, the one
 * reference it deploys, kept for the repositories the target environment uses too.
 *
 * <p>A kustomize {@code images:} entry (or an Argo CD override) replaces, in every resource
 * kustomize builds, the images named as its {@code name}; so where the source has such an entry,
 * the references its resources and Helm values write for that name are not what it deploys, and
 * are left out.
 */
public final class Promotion {
  private Promotion() {}

  /** A repository and the reference the source deploys of it, with the places that say so. */
  public record Image(String repository, ImageReference reference, List<Deployed> places) {
    public Image {
      places = List.copyOf(places);
    }
  }

  /**
   * The plan.
   *
   * @param images what to set in the target, in the order the source first names them
   * @param unused what the source deploys and the target does not use: left out
   */
  public record Plan(List<Image> images, List<Image> unused) {
    public Plan {
      images = List.copyOf(images);
      unused = List.copyOf(unused);
    }
  }

  /** Why a promotion cannot be made, with one line per reason. */
  public static final class Refusal extends RuntimeException {
    /** What is wrong, for the exit code. */
    public enum Reason {
      /** the source deploys an image at two references */
      AMBIGUOUS,
      /** an --image the source does not deploy or the target does not use, or nothing shared */
      NO_MATCH
    }

    private final Reason reason;
    private final List<String> lines;

    Refusal(Reason reason, List<String> lines) {
      super(lines.get(0));
      this.reason = reason;
      this.lines = List.copyOf(lines);
    }

    public Reason reason() {
      return reason;
    }

    public List<String> lines() {
      return lines;
    }
  }

  /**
   * Plans the promotion.
   *
   * @param source the places the source environment deploys images at
   * @param target the places of the target environment
   * @param only repositories to promote (as given, any spelling); none: all that both have
   * @param from the source's name, and {@code to} the target's, for messages
   * @throws Refusal when the source deploys an image it would promote at two references (or
   *     behind a duplicated key), when an {@code only} repository is not in both, or when they
   *     share no image
   */
  public static Plan plan(List<Deployed> source, List<Deployed> target, List<ImageReference> only,
      String from, String to) {
    Map<String, List<Deployed>> deployed = deployed(source);
    Set<String> used = new LinkedHashSet<>();
    target.forEach(place -> used.add(place.repository()));
    List<String> missing = new ArrayList<>();
    for (ImageReference wanted : only) {
      if (!deployed.containsKey(wanted.repository())) {
        missing.add("bumper: --image %s: %s deploys no such image".formatted(wanted, from));
      } else if (!used.contains(wanted.repository())) {
        missing.add("bumper: --image %s: %s does not use it".formatted(wanted, to));
      }
    }
    if (!missing.isEmpty()) {
      missing.add("bumper: nothing written");
      throw new Refusal(Refusal.Reason.NO_MATCH, missing);
    }
    Set<String> selected = new LinkedHashSet<>();
    only.forEach(wanted -> selected.add(wanted.repository()));
    List<Image> images = new ArrayList<>();
    List<Image> unused = new ArrayList<>();
    List<String> ambiguous = new ArrayList<>();
    for (Map.Entry<String, List<Deployed>> entry : deployed.entrySet()) {
      String repository = entry.getKey();
      if (!selected.isEmpty() && !selected.contains(repository)) {
        continue;
      }
      List<Deployed> places = entry.getValue();
      Map<String, List<Deployed>> byReference = new TreeMap<>();
      for (Deployed place : places) {
        byReference.computeIfAbsent(version(place.reference()), k -> new ArrayList<>()).add(place);
      }
      if (!used.contains(repository)) {
        unused.add(new Image(repository, places.get(0).reference(), places));
        continue;
      }
      if (byReference.size() > 1) {
        ambiguous.add("bumper: %s deploys %s at %d references:".formatted(
            from, places.get(0).reference().name(), byReference.size()));
        byReference.values().forEach(at -> ambiguous.add("  %s at %s".formatted(
            at.get(0).reference(), String.join(", ", at.stream().map(Deployed::where).toList()))));
        continue;
      }
      for (Deployed place : places) {
        if (place.duplicate() != null) {
          ambiguous.add(place.duplicate().getMessage());
        }
      }
      images.add(new Image(repository, places.get(0).reference(), places));
    }
    if (!ambiguous.isEmpty()) {
      ambiguous.add("bumper: which one to promote is not clear; nothing written");
      throw new Refusal(Refusal.Reason.AMBIGUOUS, ambiguous);
    }
    if (images.isEmpty()) {
      throw new Refusal(Refusal.Reason.NO_MATCH, List.of(
          "bumper: %s deploys no image that %s uses (%s: %s; %s: %s); nothing written".formatted(
              from, to, from, names(deployed.keySet()), to, names(used))));
    }
    return new Plan(images, unused);
  }

  /**
   * The places of the source by repository, in the order first named, without the references
   * that a kustomize or Argo CD entry of the source replaces.
   */
  private static Map<String, List<Deployed>> deployed(List<Deployed> source) {
    Set<String> replaced = new LinkedHashSet<>();
    for (Deployed place : source) {
      if (place.replaces() != null) {
        replaced.add(place.replaces());
      }
    }
    Map<String, List<Deployed>> deployed = new LinkedHashMap<>();
    for (Deployed place : source) {
      if (place.replaces() == null && replaced.contains(place.repository())) {
        continue;
      }
      deployed.computeIfAbsent(place.repository(), k -> new ArrayList<>()).add(place);
    }
    return deployed;
  }

  /** Tag and digest: two spellings of one repository at one version are one reference. */
  private static String version(ImageReference reference) {
    return (reference.tag() == null ? "" : ":" + reference.tag())
        + (reference.digest() == null ? "" : "@" + reference.digest());
  }

  private static String names(Set<String> repositories) {
    return repositories.isEmpty() ? "none" : String.join(", ", repositories);
  }
}
