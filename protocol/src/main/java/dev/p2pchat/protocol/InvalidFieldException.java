package dev.p2pchat.protocol;

/** Thrown by message constructors for a bad field value; the codec turns it into a {@link DecodeException}. */
final class InvalidFieldException extends IllegalArgumentException {
  private final String field;

  InvalidFieldException(String field, String problem) {
    super("invalid \"" + field + "\" field: " + problem);
    this.field = field;
  }

  String field() {
    return field;
  }
}
