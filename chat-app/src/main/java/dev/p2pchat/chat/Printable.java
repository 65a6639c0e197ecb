package dev.p2pchat.chat;

/**
 * Makes text from the network safe to print: a peer must not be able to move the cursor, clear
 * the screen or forge extra lines with control characters.
 */
final class Printable {
  private Printable() {}

  static String of(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isISOControl(c)) {
        if (sb != null) sb.append(c);
        continue;
      }
      if (sb == null) sb = new StringBuilder(text.length()).append(text, 0, i);
      sb.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '\uFFFD');
    }
    return sb == null ? text : sb.toString();
  }
}
