package dev.bumper.image;

/**
 * Thrown when an image reference or an {@code -i/--image} spec does not follow the grammar.
 *
 * <p>It extends {@link IllegalArgumentException} because the bad value always comes from the user
 * (a command-line argument or a manifest), and the message is meant to be shown to that user as
 * is: it quotes the offending part and the text it was found in, so the user can fix it without a
 * stack trace.
 */
public final class InvalidReferenceException extends IllegalArgumentException {

  public InvalidReferenceException(String message) {
    super(message);
  }

  /**
   * For a part that fails its own grammar, e.g. {@code invalid tag "-x" in "web:-x"}.
   *
   * @param reason why it is invalid when the grammar alone would not make it obvious, or null
   */
  static InvalidReferenceException part(String part, String value, String whole, String reason) {
    String message = "invalid " + part + " \"" + value + "\" in \"" + whole + "\"";
    return new InvalidReferenceException(reason == null ? message : message + ": " + reason);
  }

  /**
   * For a problem with the text as a whole, e.g. {@code invalid image reference "Nginx:1.2":
   * repository path "Nginx" must be lowercase}.
   *
   * @param kind what the text was meant to be, e.g. {@code image reference} or {@code image spec}
   */
  static InvalidReferenceException whole(String kind, String whole, String detail) {
    return new InvalidReferenceException("invalid " + kind + " \"" + whole + "\": " + detail);
  }
}
