package dev.bumper.edit;

import dev.bumper.failure.ExitCode;
import dev.bumper.failure.UsageException;
import dev.bumper.io.ManifestSource;
import dev.bumper.io.PathArguments;
import dev.bumper.kustomize.ImageArg;
import dev.bumper.kustomize.KustomizationImages;
import dev.bumper.kustomize.SetImageResult;
import dev.bumper.yaml.InvalidYamlException;
import dev.bumper.yaml.SelfCheckException;
import dev.bumper.yaml.SourceText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code kustomize-set-image}: image specs, as {@code kustomize edit set image} takes them, set
 * in one kustomization: {@code file} (relative to {@code root}), or when null the one kustomization
 * file at {@code root}.
 */
public record KustomizationEdit(String root, String file, List<String> specs, boolean force)
    implements Edit {
  public static final String COMMAND = "kustomize-set-image";

  /** The names kustomize looks for, in its order. */
  public static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** An edit that a hold refuses. */
  public KustomizationEdit(String root, String file, List<String> specs) {
    this(root, file, specs, false);
  }

  public KustomizationEdit {
    specs = List.copyOf(specs);
    ImageArg.parseAll(specs); // a bad spec is refused when the edit is made, not when it is applied
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public KustomizationEdit atRoot(String root) {
    return new KustomizationEdit(root, file, specs, force);
  }

  /** The same edit, made whatever holds stand ({@code --force}). */
  public KustomizationEdit forced() {
    return new KustomizationEdit(root, file, specs, true);
  }

  @Override
  public KustomizationEditResult apply(FileTree tree) throws IOException {
    ManifestSource source = kustomization(tree);
    SetImageResult result;
    try {
      result = KustomizationImages.set(SourceText.decode(source.display(), source.read()), ImageArg.parseAll(specs));
    } catch (InvalidYamlException e) {
      throw new EditFailedException(ExitCode.INVALID_INPUT, e.getMessage(), List.of(e.getMessage()));
    } catch (SelfCheckException e) {
      throw new EditFailedException(ExitCode.FAILURE, e.getMessage(), List.of("bumper: " + e.getMessage()));
    }
    KustomizationEditResult edited = new KustomizationEditResult(source, result);
    Holds.refuse(tree, edited, force);
    return edited;
  }

  private ManifestSource kustomization(FileTree tree) throws IOException {
    if (file != null) {
      Path named = PathArguments.of(file);
      Path given = root.isEmpty() ? named : Path.of(root).resolve(named);
      String path = given.normalize().toString().replace('\\', '/');
      if (given.isAbsolute() || path.startsWith("..")) {
        throw new UsageException("-f " + given + ": outside the repository");
      }
      ManifestSource source = tree.file(path);
      if (source == null) {
        throw new UsageException("-f " + path + ": no such file in the repository");
      }
      return source;
    }
    List<ManifestSource> found = new ArrayList<>();
    for (String name : FILE_NAMES) {
      ManifestSource source = tree.file(Edit.join(root, name));
      if (source != null) {
        found.add(source);
      }
    }
    if (found.size() != 1) {
      throw new UsageException(
          found.isEmpty()
              ? "no kustomization at the repository's root; give -f PATH"
              : "found multiple kustomization files at the repository's root: "
                  + String.join(", ", found.stream().map(ManifestSource::display).toList()));
    }
    return found.get(0);
  }
}
