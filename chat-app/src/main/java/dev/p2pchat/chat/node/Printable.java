package dev.p2pchat.chat.node;

/**
 * Makes text from the network safe to print: a peer must not be able to move the cursor, clear
 * the screen or forge extra lines with control characters.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} on one line: line breaks and tabs become spaces, other controls U+FFFD. */
  public static String of(String text) {
    return clean(text, false);
  }

  /**
   * {@code text} with its line breaks kept as {@code '\n'}, for a chat line the views show as
   * several; tabs become spaces and other controls U+FFFD.
   */
  static String lines(String text) {
    return clean(text, true);
  }

  private static String clean(String text, boolean keepLineBreaks) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isISOControl(c) || (keepLineBreaks && c == '\n')) {
        if (sb != null) sb.append(c);
        continue;
      }
      if (sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
      sb.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '\uFFFD');
    }
    return sb == null ? text : sb.toString();
  }
}
