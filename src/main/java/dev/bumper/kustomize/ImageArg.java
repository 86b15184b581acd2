package dev.bumper.kustomize;

import java.util.List;

/**
 * One argument of {@code kustomize-set-image}, parsed exactly as kustomize v5.8.1 parses {@code
 * kustomize edit set image} arguments: split at the first {@code =} into the image name and a
 * value, then the value into name, tag and digest, looking for {@code :} and {@code @} only after
 * the first {@code /} so that a registry's port is not taken for a tag. An empty part means
 * "absent"; {@code *} means "keep what the kustomization has".
 */
public record ImageArg(String name, String newName, String newTag, String digest) {
  static final String KEEP = "*";

  /** Parses one argument; throws with kustomize's error text when kustomize would refuse it. */
  public static ImageArg parse(String arg) {
    int eq = arg.indexOf('=');
    String key = eq < 0 ? "" : arg.substring(0, eq);
    String value = eq < 0 ? arg : arg.substring(eq + 1);
    String[] split = ImageNameSplit.split(value);
    // kustomize's test for "nothing to set": the value did not split and there was no '='
    if (split[0].equals(arg)) {
      throw new InvalidImageArgException(InvalidImageArgException.INVALID);
    }
    return key.isEmpty()
        ? new ImageArg(split[0], "", split[1], split[2])
        : new ImageArg(key, split[0], split[1], split[2]);
  }

  /** Parses all arguments; at least one is required. */
  public static List<ImageArg> parseAll(List<String> args) {
    if (args.isEmpty()) {
      throw new InvalidImageArgException(InvalidImageArgException.NO_ARGS);
    }
    return args.stream().map(ImageArg::parse).toList();
  }
}
