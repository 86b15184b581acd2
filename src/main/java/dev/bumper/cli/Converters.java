package dev.bumper.cli;

import dev.bumper.image.ImageUpdate;
import dev.bumper.manifest.PathAssignment;
import dev.bumper.manifest.PolicyAssignment;
import picocli.CommandLine.ITypeConverter;

/** picocli converters, so a bad argument is a usage error naming the option and the bad part. */
final class Converters {
  private Converters() {}

  static final class Image implements ITypeConverter<ImageUpdate> {
    @Override
    public ImageUpdate convert(String value) {
      return ImageUpdate.parse(value);
    }
  }

  static final class Set implements ITypeConverter<PathAssignment> {
    @Override
    public PathAssignment convert(String value) {
      return PathAssignment.parse(value);
    }
  }

  static final class Policy implements ITypeConverter<PolicyAssignment> {
    @Override
    public PolicyAssignment convert(String value) {
      return PolicyAssignment.parse(value);
    }
  }
}
