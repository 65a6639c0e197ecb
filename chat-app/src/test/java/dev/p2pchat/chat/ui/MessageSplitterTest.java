package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.ui.MessageSplitter.Part;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.Limits;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {
  private static final String E_ACUTE = "e\u0301"; // e and a combining acute accent
  private static final String GRINNING = "\uD83D\uDE00"; // one code point, two chars

  @Test
  void aTextThatFitsIsOnePart() {
    assertEquals(List.of(new Part("hello", "")), MessageSplitter.split("hello", 5));
    String longest = "x".repeat(Limits.MAX_TEXT_LENGTH);
    assertEquals(List.of(new Part(longest, "")), MessageSplitter.split(longest));
    String emoji = GRINNING.repeat(Limits.MAX_TEXT_LENGTH); // 8192 chars but 4096 code points
    assertEquals(1, MessageSplitter.split(emoji).size());
  }

  @Test
  void atTheLastLineBreakThatFits() {
    assertEquals(List.of(new Part("one two", "\n"), new Part("three four", "\n"), new Part("five", "")),
        MessageSplitter.split("one two\nthree four\nfive", 12));
    assertEquals(List.of(new Part("a\nb", "\n"), new Part("c", "")), MessageSplitter.split("a\nb\nc", 3));
    // a line break right after the limit still ends the part: it is dropped, not sent
    assertEquals(List.of(new Part("abc", "\n"), new Part("def", "")), MessageSplitter.split("abc\ndef", 3));
  }

  @Test
  void elseAtTheLastWhitespace() {
    assertEquals(List.of(new Part("the quick", " "), new Part("brown fox", "")),
        MessageSplitter.split("the quick brown fox", 10));
    assertEquals(List.of(new Part("tab", "\t"), new Part("separated", "")),
        MessageSplitter.split("tab\tseparated", 9));
    // a no-break space is not a place to break
    assertEquals(List.of(new Part("ab\u00a0cd", ""), new Part("ef", "")), MessageSplitter.split("ab\u00a0cdef", 5));
  }

  @Test
  void elseBetweenCharacters() {
    assertEquals(List.of(new Part("abcd", ""), new Part("efgh", ""), new Part("ij", "")),
        MessageSplitter.split("abcdefghij", 4));
    // an accent stays with its letter; an emoji is one code point of two chars
    assertEquals(List.of(new Part("ab", ""), new Part(E_ACUTE + "f", "")), MessageSplitter.split("ab" + E_ACUTE + "f", 3));
    assertEquals(List.of(new Part("a" + GRINNING, ""), new Part("b", "")), MessageSplitter.split("a" + GRINNING + "b", 2));
    // a "character" longer than the limit is cut between code points
    String stacked = "a" + "\u0301".repeat(5);
    assertEquals(List.of(new Part(stacked.substring(0, 3), ""), new Part(stacked.substring(3), "")),
        MessageSplitter.split(stacked, 3));
  }

  @Test
  void aLongPasteBecomesMessagesTheProtocolAccepts() {
    StringBuilder paste = new StringBuilder();
    for (int i = 0; paste.length() < 5 * Limits.MAX_TEXT_LENGTH / 2; i++) paste.append("word").append(i).append(i % 12 == 11 ? "\n" : " ");
    List<Part> parts = MessageSplitter.split(paste.toString());
    assertEquals(3, parts.size(), "as few parts as fit");
    for (Part p : parts) new ChatMessage("1", "alice", p.text(), 0, null); // throws if invalid
    assertEquals(paste.toString(), join(parts));
  }

  @Test
  void theLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> MessageSplitter.split("abc", 0));
  }

  /** Random texts of letters, spaces, tabs, line breaks, accents and emoji, with small limits. */
  @Test
  void randomTextsAreSplitWithoutLoss() {
    String[] pieces = {"a", "b", "c", "d", " ", " ", "\n", "\t", E_ACUTE, GRINNING, "\u00a0", "\u4e2d", "\u0301\u0302"};
    Random random = new Random(17);
    for (int run = 0; run < 20_000; run++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(60);
      for (int i = 0; i < length; i++) b.append(pieces[random.nextInt(pieces.length)]);
      String text = b.toString();
      int limit = 1 + random.nextInt(12);
      check(text, limit, MessageSplitter.split(text, limit));
    }
  }

  private static void check(String text, int limit, List<Part> parts) {
    String where = "text " + text.codePoints().mapToObj(Integer::toHexString).toList() + " limit " + limit + ": " + parts;
    assertEquals(text, join(parts), where);
    int start = 0;
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      String s = p.text();
      boolean last = i == parts.size() - 1;
      assertTrue(s.codePointCount(0, s.length()) <= limit, where);
      assertTrue(last ? p.separator().isEmpty() : !s.isEmpty(), where);
      assertFalse(!s.isEmpty() && Character.isHighSurrogate(s.charAt(s.length() - 1)), where);
      assertFalse(!s.isEmpty() && Character.isLowSurrogate(s.charAt(0)), where);
      if (!last) {
        // the window the part was cut from: limit code points, and the char after them
        String window = text.substring(start, text.offsetByCodePoints(start, limit) + 1);
        String tail = window.substring(1);
        switch (p.separator()) {
          case "\n":
            assertEquals(window.lastIndexOf('\n'), s.length(), "the last line break: " + where);
            break;
          case "":
            assertTrue(tail.chars().noneMatch(Character::isWhitespace), "no whitespace to break at: " + where);
            String next = parts.get(i + 1).text();
            boolean oneLongCharacter = s.codePoints().skip(1).allMatch(c -> Character.getType(c) == Character.NON_SPACING_MARK);
            assertTrue(oneLongCharacter || Character.getType(next.codePointAt(0)) != Character.NON_SPACING_MARK,
                "an accent stays with its letter: " + where);
            break;
          default:
            assertEquals(1, p.separator().length(), where);
            assertTrue(Character.isWhitespace(p.separator().charAt(0)), where);
            assertTrue(tail.indexOf('\n') < 0, "no line break to prefer: " + where);
            String after = tail.substring(s.length());
            assertTrue(after.chars().noneMatch(Character::isWhitespace), "the last whitespace: " + where);
        }
      }
      start += s.length() + p.separator().length();
    }
  }

  private static String join(List<Part> parts) {
    StringBuilder b = new StringBuilder();
    parts.forEach(p -> b.append(p.text()).append(p.separator()));
    return b.toString();
  }
}
