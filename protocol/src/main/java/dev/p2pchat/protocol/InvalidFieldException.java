package dev.p2pchat.protocol;

/** A message constructor's complaint about one field; decoding turns it into a DecodeException. */
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
