package dev.p2pchat.chat;

/**
 * A line's id as this node makes it: the sender's line count in base 32 ({@code 1}, {@code 2},
 * ... {@code v}, {@code 10}, ...). Ids need only be unique per sender (lines are known by their
 * sender's node id and their id); a count needs no random source, is short to send, read and
 * check, and lets a receiver remember the lines it has seen as bits (see {@link ReceivedLines}).
 */
final class LineIds {
  /** At most 2^60 lines: more than anyone sends, and the number still fits a long. */
  private static final int MAX_DIGITS = 12;

  private LineIds() {}

  /**
   * The id of line {@code number}: its digits in base 32, {@code 0-9a-v}. A power of two, because
   * the JDK writes those with shifts straight into the String's bytes; base 36 took divisions and a
   * copy, 15% of the sender's time at full speed.
   */
  static String of(long number) {
    return Long.toUnsignedString(number, 32);
  }

  /**
   * The number of the line called {@code id}, or -1 if {@code id} is not written as {@link
   * #of(long)} writes ids (another program's id, or a made-up one).
   */
  static long number(String id) {
    int length = id.length();
    if (length == 0 || length > MAX_DIGITS) return -1;
    long number = 0;
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'v' ? c - 'a' + 10 : -1;
      if (digit < 0 || (i == 0 && digit == 0)) return -1;
      number = number << 5 | digit;
    }
    return number;
  }
}
