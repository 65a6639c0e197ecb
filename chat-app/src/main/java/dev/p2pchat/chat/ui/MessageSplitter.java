package dev.p2pchat.chat.ui;

import dev.p2pchat.protocol.Limits;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text longer than a message may be ({@link Limits#MAX_TEXT_LENGTH} code points) into
 * parts to send one after another, so that a long paste is never refused.
 *
 * <p>Each part is as long as it can be: it ends at the last line break within the limit, else at
 * the last whitespace, else at the last boundary between user-perceived characters ({@link
 * BreakIterator#getCharacterInstance()}: a surrogate pair or a letter and its combining accents
 * stay together), else (one "character" longer than the limit) between code points. The line
 * break or whitespace a part ends at is its {@link Part#separator()}, not sent; so the parts'
 * texts and separators, in order, are exactly the text.
 */
public final class MessageSplitter {
  /** A part to send, and the separator dropped after it ({@code ""} after the last one or a hard split). */
  public record Part(String text, String separator) {}

  private MessageSplitter() {}

  /** {@code text} in parts of at most {@link Limits#MAX_TEXT_LENGTH} code points each. */
  public static List<Part> split(String text) {
    return split(text, Limits.MAX_TEXT_LENGTH);
  }

  /** {@code text} in parts of at most {@code limit} code points each (one part if it fits). */
  public static List<Part> split(String text, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    List<Part> parts = new ArrayList<>();
    BreakIterator characters = null;
    int start = 0;
    while (text.codePointCount(start, text.length()) > limit) {
      int end = text.offsetByCodePoints(start, limit); // the part is text[start, end) at most
      int separator = lastBreak(text, start, end);
      if (separator > start) {
        parts.add(new Part(text.substring(start, separator), text.substring(separator, separator + 1)));
        start = separator + 1;
        continue;
      }
      if (characters == null) {
        characters = BreakIterator.getCharacterInstance();
        characters.setText(text);
      }
      // Boundaries are at code points, so the one before end + 1 is at most end.
      int cut = characters.preceding(end + 1);
      if (cut <= start) cut = end;
      parts.add(new Part(text.substring(start, cut), ""));
      start = cut;
    }
    parts.add(new Part(text.substring(start), ""));
    return parts;
  }

  /**
   * The index in {@code (start, end]} of the last line break, else of the last whitespace, else
   * {@code -1}. Every whitespace character is one {@code char}, so dropping it keeps a part
   * within {@code end}.
   */
  private static int lastBreak(String text, int start, int end) {
    int newline = text.lastIndexOf('\n', end);
    if (newline > start) return newline;
    for (int i = end; i > start; i--) {
      if (Character.isWhitespace(text.charAt(i))) return i;
    }
    return -1;
  }
}
