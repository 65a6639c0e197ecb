package dev.p2pchat.chat.node;

/**
 * Makes text from the network safe to print: a peer must not be able to move the cursor, clear
 * the screen or forge extra lines with control characters, nor reorder or hide what is shown
 * with bidi controls (U+202E …) or invisible formatting characters (U+200B …): those are shown
 * as their code, {@code <U+202E>}. The zero-width joiner and non-joiner stay, as in {@link
 * dev.p2pchat.protocol.Nicknames}: emoji sequences and some scripts need them.
 */
public final class Printable {
  private Printable() {}

  /**
   * {@code text} on one line: line breaks and tabs become spaces, other controls U+FFFD, format
   * characters (Unicode category Cf) their code.
   */
  public static String of(String text) {
    return clean(text, false);
  }

  /**
   * {@code text} with its line breaks kept as {@code '\n'}, for a chat line the views show as
   * several; tabs become spaces, other controls U+FFFD and format characters their code.
   */
  static String lines(String text) {
    return clean(text, true);
  }

  private static String clean(String text, boolean keepLineBreaks) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      boolean control = Character.isISOControl(c) && !(keepLineBreaks && c == '\n');
      boolean format = Character.getType(c) == Character.FORMAT && !isJoiner(c);
      if (control || format) {
        if (sb == null) sb = new StringBuilder(text.length() + 8).append(text, 0, i);
        if (format) {
          sb.append(String.format("<U+%04X>", c));
        } else {
          sb.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '\uFFFD');
        }
      } else if (sb != null) {
        sb.append(text, i, next);
      }
      i = next;
    }
    return sb == null ? text : sb.toString();
  }

  private static boolean isJoiner(int c) {
    return c == 0x200C || c == 0x200D;
  }
}
