package dev.p2pchat.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte tests eight bytes at a time in a long ("SIMD within a register"), for the scans that cover
 * most of a frame's bytes: its line end and its strings. Bytes are read little-endian, so the
 * lowest byte of the long is the first in the array, and each test flags a byte by setting its top
 * bit. A flag can be wrong only above a right one (a subtraction borrows only from a byte that
 * matched), so the lowest flag always marks the first match.
 */
final class Swar {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long TOP_BITS = 0x8080808080808080L;
  /** Eight spaces: a byte none of the tests here flags. */
  private static final long SPACES = 0x2020202020202020L;

  private Swar() {}

  /** {@code bytes[i, i + 8)} as one long; the caller makes sure all eight are in the array. */
  static long read(byte[] bytes, int i) {
    return (long) LONGS.get(bytes, i);
  }

  /**
   * {@code bytes[i, end)}, fewer than eight bytes, as {@link #read} would give them, the rest
   * filled with spaces: the end of a scan in one step rather than a byte loop. It reads the last
   * eight bytes before {@code end} and shifts out those before {@code i}, so that no byte already
   * scanned (a quote, say) can make a test flag a byte above it; the caller makes sure {@code end
   * - 8 < i < end} and {@code end >= 8}.
   */
  static long readTail(byte[] bytes, int i, int end) {
    int before = i - (end - Long.BYTES);
    return read(bytes, end - Long.BYTES) >>> (8 * before) | SPACES << (8 * (Long.BYTES - before));
  }

  /** Writes {@code x} as {@code bytes[i, i + 8)}. */
  static void write(byte[] bytes, int i, long x) {
    LONGS.set(bytes, i, x);
  }

  /** Flags each byte of {@code x} that is {@code b}. */
  static long bytesEqual(long x, byte b) {
    long zeroWhereEqual = x ^ (ONES * (b & 0xff));
    return (zeroWhereEqual - ONES) & ~zeroWhereEqual & TOP_BITS;
  }

  /**
   * Flags each byte of {@code x} that a plain JSON string cannot hold as itself: '"', '\\', a
   * control character (below 0x20) or a byte of a multi-byte UTF-8 sequence (0x80 or above). A
   * byte minus 0x01 (or 0x20) has its top bit set if the byte was 0 (below 0x20) or was already
   * 0x81 (0xa0) or above; those are flagged anyway as not ASCII.
   */
  static long stringSpecials(long x) {
    long quotes = (x ^ 0x2222222222222222L) - ONES;
    long backslashes = (x ^ 0x5c5c5c5c5c5c5c5cL) - ONES;
    long controls = x - 0x2020202020202020L;
    return (quotes | backslashes | controls | x) & TOP_BITS;
  }

  /**
   * Flags each byte of {@code x} that JSON must escape: '"', '\\' or a control character (below
   * 0x20). Bytes of 0x80 or above, which {@link #stringSpecials} flags as well, are left out.
   */
  static long escapes(long x) {
    return stringSpecials(x) & ~x;
  }

  /**
   * Flags each byte of {@code x} that a plain text does not hold: one {@link #stringSpecials}
   * flags, or DEL.
   */
  static long notPlain(long x) {
    return notPlainOr(x, (byte) '"'); // '"' is tested anyway: the JIT computes it once
  }

  /**
   * {@link #notPlain}, and each byte that is {@code b} (below 0x80), in one expression. A byte
   * that XOR makes 0 gets the top bit from subtracting one, a control character from subtracting
   * 0x20, and DEL, the one byte below 0x80 that does, from adding one; the other bytes these give
   * the top bit are at least 0x80, which is flagged anyway, or above a byte flagged rightly.
   */
  static long notPlainOr(long x, byte b) {
    return ((x ^ 0x2222222222222222L) - ONES | (x ^ 0x5c5c5c5c5c5c5c5cL) - ONES | (x ^ ONES * b) - ONES
        | x - SPACES | x + ONES | x) & TOP_BITS;
  }

  /**
   * The value of the eight ASCII digits {@code x} (the first in its lowest byte), or -1 if a byte
   * is not a digit: pairs of digits are combined, then pairs of pairs, then the two halves, each
   * step one multiplication for all lanes at once.
   */
  static long eightDigits(long x) {
    // A digit is 0x30 to 0x39: its high nibble is 3, and still 3 after adding 6.
    long highNibbles = (x & 0xf0f0f0f0f0f0f0f0L)
        | (((x + 0x0606060606060606L) & 0xf0f0f0f0f0f0f0f0L) >>> 4);
    if (highNibbles != 0x3333333333333333L) {
      return -1;
    }
    x = (x & 0x0f0f0f0f0f0f0f0fL) * (1 + (10 << 8)) >>> 8; // 10 * first + second, per pair
    x = (x & 0x00ff00ff00ff00ffL) * (1 + (100 << 16)) >>> 16; // per four digits
    return (x & 0x0000ffff0000ffffL) * (1 + (10_000L << 32)) >>> 32;
  }

  /** The offset (0 to 7) of the first byte flagged in {@code flags}, which is not 0. */
  static int first(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }
}
