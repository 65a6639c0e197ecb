package dev.p2pchat.protocol;

/**
 * Message ids that are numbers: a count written in base 32 with the digits {@code 0-9a-v}, no
 * leading zero, at most 12 digits ({@code 1}, {@code 2}, ... {@code v}, {@code 10}, ...). Any id
 * may be used, but a sender that counts its lines this way lets the receiver confirm a run of
 * them in one {@link Ack.Run}, whatever its length. The Java node numbers its lines so.
 */
public final class LineNumbers {
  /** The highest line number: 12 digits, 2^60 - 1. */
  public static final long MAX = (1L << 60) - 1;
  static final int MAX_DIGITS = 12;
  private static final String DIGITS = "0123456789abcdefghijklmnopqrstuv";

  private LineNumbers() {}

  /**
   * The id of line {@code number}, 1 to {@link #MAX}. Base 32 is a power of two, which the JDK
   * writes with shifts straight into the String's bytes; base 36 took divisions and a copy, 15% of
   * a node's sending time at full speed.
   */
  public static String id(long number) {
    if (!isLineNumber(number)) {
      throw new IllegalArgumentException("line numbers are 1 to 2^60 - 1, not " + number);
    }
    return Long.toUnsignedString(number, 32);
  }

  /** Whether {@code number} is 1 to {@link #MAX}. */
  static boolean isLineNumber(long number) {
    return number >= 1 && number <= MAX;
  }

  /**
   * Writes {@link #id(long) id(number)} as ASCII into {@code bytes} from {@code at}, where at least
   * {@value #MAX_DIGITS} bytes must be free, without making the String; returns how many it wrote.
   */
  static int write(long number, byte[] bytes, int at) {
    int digits = (Long.SIZE - Long.numberOfLeadingZeros(number) + 4) / 5;
    for (int i = at + digits - 1; i >= at; i--) {
      bytes[i] = (byte) DIGITS.charAt((int) number & 31);
      number >>>= 5;
    }
    return digits;
  }

  /** The number of the line called {@code id}, or -1 if {@code id} is not a line number as {@link #id} writes it. */
  public static long number(String id) {
    int length = id.length();
    if (length == 0 || length > MAX_DIGITS) {
      return -1;
    }
    long number = 0;
    for (int i = 0; i < length; i++) {
      int digit = digit(id.charAt(i), i);
      if (digit < 0) {
        return -1;
      }
      number = number << 5 | digit;
    }
    return number;
  }

  /** {@link #number(String)} of the ASCII id {@code bytes[start, end)}, read where it arrived. */
  static long number(byte[] bytes, int start, int end) {
    if (end <= start || end - start > MAX_DIGITS) {
      return -1;
    }
    long number = 0;
    for (int i = start; i < end; i++) {
      int digit = digit(bytes[i], i - start);
      if (digit < 0) {
        return -1;
      }
      number = number << 5 | digit;
    }
    return number;
  }

  /** The value of base-32 digit {@code c} at position {@code at}; -1 if not one, or a leading zero. */
  private static int digit(int c, int at) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'v' ? c - 'a' + 10 : -1;
    return digit == 0 && at == 0 ? -1 : digit;
  }
}
