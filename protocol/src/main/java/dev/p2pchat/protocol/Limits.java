package dev.p2pchat.protocol;

/**
 * Size limits of the wire protocol. Lengths of text fields count Unicode code points, so an emoji
 * is one character; every message that satisfies them encodes to well under {@link
 * #MAX_FRAME_BYTES}.
 */
public final class Limits {
  /** Default largest frame, in bytes of UTF-8 not counting the line terminator. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;
  /** Longest {@code msg} text. */
  public static final int MAX_TEXT_LENGTH = 4096;
  /** Longest nickname. */
  public static final int MAX_NICK_LENGTH = 32;
  /** Most addresses in one {@code peers} message. */
  public static final int MAX_PEERS = 64;
  /** Longest {@code bye} or {@code error} reason. */
  public static final int MAX_REASON_LENGTH = 512;
  /** Longest message id, ping token or node id. */
  public static final int MAX_ID_LENGTH = 64;
  /** Longest application version string in {@code hello}. */
  public static final int MAX_APP_VERSION_LENGTH = 64;
  /** Longest advertised address ({@code host:port}: a 253-character host name plus a port). */
  public static final int MAX_ADDRESS_LENGTH = 259;

  private Limits() {}
}
