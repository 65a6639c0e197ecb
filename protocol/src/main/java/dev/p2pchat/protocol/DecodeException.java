package dev.p2pchat.protocol;

import java.util.Optional;

/**
 * A frame that is not a valid message. The connection stays usable: answer with {@link
 * #toErrorMessage()} and read the next frame, or close.
 */
public final class DecodeException extends Exception {
  private final ErrorCode code;
  private final String field;

  DecodeException(ErrorCode code, String field, String message) {
    super(message);
    this.code = code;
    this.field = field;
  }

  DecodeException(ErrorCode code, String message) {
    this(code, null, message);
  }

  /** What kind of problem this is. */
  public ErrorCode code() {
    return code;
  }

  /** The offending field: set for {@code INVALID_FIELD} and {@code UNKNOWN_TYPE}. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** The {@code error} message to send back to the peer. */
  public ErrorMessage toErrorMessage() {
    String reason = getMessage();
    if (reason.codePointCount(0, reason.length()) > Limits.MAX_REASON_LENGTH) {
      reason = reason.substring(0, reason.offsetByCodePoints(0, Limits.MAX_REASON_LENGTH - 3))
          + "...";
    }
    return new ErrorMessage(code, reason);
  }
}
