package dev.bumper.manifest;

import java.util.Locale;

/** The kinds of place where an image is written; the JSON {@code kind} of a change. */
public enum Kind {
  CONTAINER,
  VOLUME,
  HELM,
  KUSTOMIZE,
  ARGOCD,
  MARKER,
  PATH;

  /** The name used in output: {@code container}, {@code helm}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
