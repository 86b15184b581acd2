package dev.bumper.cli;

import dev.bumper.io.PathArguments;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli's converter for every {@code Path} option and parameter: a usage error saying why not. */
final class PathConverter implements ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new TypeConversionException(value + ": " + PathArguments.whyNot(e));
    }
  }
}
