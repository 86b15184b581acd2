package dev.bumper.kustomize;

/**
 * An argument {@code kustomize edit set image} would refuse, with kustomize's own error text so
 * scripts that match on it keep working. A usage error: exit 2.
 */
public final class InvalidImageArgException extends IllegalArgumentException {
  static final String NO_ARGS = "no image specified";
  static final String INVALID =
      """
      invalid format of image, use one of the following options:
      - <image>=<newimage>:<newtag>
      - <image>=<newimage>@<digest>
      - <image>=<newimage>:<newtag>@<digest>
      - <image>=<newimage>
      - <image>:<newtag>
      - <image>:<newtag>@<digest>
      - <image>@<digest>""";

  InvalidImageArgException(String message) {
    super(message);
  }
}
