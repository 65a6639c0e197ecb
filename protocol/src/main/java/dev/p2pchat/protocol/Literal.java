package dev.p2pchat.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A run of ASCII of at least eight bytes that encoders always write the same way, such as {@code
 * ","text":"}, recognised in a frame by comparing eight bytes at a time: one comparison per eight
 * bytes, the last one overlapping the one before if the length is not a multiple of eight.
 */
final class Literal {
  private final byte[] bytes;
  /** The literal's bytes [0, 8), [8, 16), ... and, last, its final eight, as Swar reads them. */
  private final long[] words;

  Literal(String text) {
    bytes = text.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length < Long.BYTES) {
      throw new IllegalArgumentException("a literal has at least eight bytes: " + text);
    }
    words = new long[(bytes.length + Long.BYTES - 1) / Long.BYTES];
    for (int k = 0; k < words.length - 1; k++) {
      words[k] = Swar.read(bytes, k * Long.BYTES);
    }
    words[words.length - 1] = Swar.read(bytes, bytes.length - Long.BYTES);
  }

  int length() {
    return bytes.length;
  }

  /** Whether {@code frame[i, limit)} starts with this literal. */
  boolean at(byte[] frame, int i, int limit) {
    if (limit - i < bytes.length) {
      return false;
    }
    int lastWord = words.length - 1;
    for (int k = 0; k < lastWord; k++) {
      if (Swar.read(frame, i + k * Long.BYTES) != words[k]) {
        return false;
      }
    }
    return Swar.read(frame, i + bytes.length - Long.BYTES) == words[lastWord];
  }
}
