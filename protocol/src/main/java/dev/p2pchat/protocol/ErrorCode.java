package dev.p2pchat.protocol;

/** The {@code code} of an {@code error} message. */
public enum ErrorCode {
  /** The frame is not a JSON object: not UTF-8, not JSON, or not an object. */
  BAD_MESSAGE("bad-message"),
  /** The frame is longer than the receiver's limit. */
  FRAME_TOO_LARGE("frame-too-large"),
  /** The {@code type} is not one the receiver knows. */
  UNKNOWN_TYPE("unknown-type"),
  /** A field is missing, of the wrong JSON type, or has a value the rules forbid. */
  INVALID_FIELD("invalid-field"),
  /** The peer's protocol MAJOR version is not spoken here. */
  UNSUPPORTED_VERSION("unsupported-version"),
  /** A valid message at the wrong moment, such as anything but {@code hello} first. */
  PROTOCOL_VIOLATION("protocol-violation"),
  /** The peer sends too much, too fast. */
  RATE_LIMITED("rate-limited"),
  /** A code this node does not know (sent by a newer peer). */
  UNKNOWN("unknown");

  private final String wireName;

  ErrorCode(String wireName) {
    this.wireName = wireName;
  }

  /** The code as written on the wire, such as {@code "frame-too-large"}. */
  public String wireName() {
    return wireName;
  }

  /** The code with this wire name, or {@link #UNKNOWN}. */
  public static ErrorCode fromWireName(String wireName) {
    for (ErrorCode code : values()) {
      if (code.wireName.equals(wireName)) {
        return code;
      }
    }
    return UNKNOWN;
  }
}
