package dev.bumper.cli;

import dev.bumper.image.ImageUpdate;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters, so a bad argument is a usage error naming the option and the bad part. */
final class Converters {
  private Converters() {}

  static final class Image implements ITypeConverter<ImageUpdate> {
    @Override
    public ImageUpdate convert(String value) {
      try {
        return ImageUpdate.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Set implements ITypeConverter<PathAssignment> {
    @Override
    public PathAssignment convert(String value) {
      try {
        return PathAssignment.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Policy implements ITypeConverter<PolicyAssignment> {
    @Override
    public PolicyAssignment convert(String value) {
      try {
        return PolicyAssignment.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
