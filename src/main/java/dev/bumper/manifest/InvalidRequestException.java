package dev.bumper.manifest;

/** A {@code --set} or {@code --policy} argument that does not parse. A usage error: exit 2. */
public final class InvalidRequestException extends IllegalArgumentException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
