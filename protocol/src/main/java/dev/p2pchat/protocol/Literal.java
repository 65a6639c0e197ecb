package dev.p2pchat.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A run of 8 to 24 ASCII bytes that encoders always write the same way, such as {@code
 * ","text":"}, written and recognised eight bytes at a time: its first eight, its middle eight
 * if it is longer than 16, and its last eight, which overlap the others unless the length is a
 * multiple of eight.
 */
final class Literal {
  private final int length;
  private final long first;
  private final long middle;
  private final long last;

  Literal(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    length = bytes.length;
    if (length < Long.BYTES || length > 3 * Long.BYTES) {
      throw new IllegalArgumentException("a literal has 8 to 24 bytes: " + text);
    }
    first = Swar.read(bytes, 0);
    middle = length > 2 * Long.BYTES ? Swar.read(bytes, Long.BYTES) : 0;
    last = Swar.read(bytes, length - Long.BYTES);
  }

  int length() {
    return length;
  }

  /** Writes this literal as {@code bytes[i, i + length)}. */
  void writeTo(byte[] bytes, int i) {
    Swar.write(bytes, i, first);
    if (length > 2 * Long.BYTES) {
      Swar.write(bytes, i + Long.BYTES, middle);
    }
    Swar.write(bytes, i + length - Long.BYTES, last);
  }

  /** Whether {@code frame[i, limit)} starts with this literal. */
  boolean at(byte[] frame, int i, int limit) {
    return limit - i >= length
        && Swar.read(frame, i) == first
        && Swar.read(frame, i + length - Long.BYTES) == last
        && (length <= 2 * Long.BYTES || Swar.read(frame, i + Long.BYTES) == middle);
  }
}
