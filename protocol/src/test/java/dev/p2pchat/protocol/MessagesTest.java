package dev.p2pchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The record constructors enforce the same rules as decoding. */
class MessagesTest {
  @Test
  void constructorsRejectInvalidFieldsNamingThem() {
    assertInvalid("nick", () -> new Hello("1.0", "n", "two words", "app", null));
    assertInvalid("nodeId", () -> new Hello("1.0", "n/1", "a", "app", null));
    assertInvalid("appVersion", () -> new Hello("1.0", "n", "a", "", null));
    assertInvalid("address", () -> new Hello("1.0", "n", "a", "app", "nowhere"));
    assertInvalid("protocolVersion", () -> new Hello("1.0".repeat(6), "n", "a", "app", null));
    assertInvalid("id", () -> new ChatMessage(null, "a", "t", 0, null));
    assertInvalid("text", () -> new ChatMessage("m", "a", "x".repeat(Limits.MAX_TEXT_LENGTH + 1),
        0, null));
    assertInvalid("text", () -> new ChatMessage("m", "a", "carriage\rreturn", 0, null));
    assertInvalid("timestamp", () -> new ChatMessage("m", "a", "t", -5, null));
    assertInvalid("to", () -> new ChatMessage("m", "a", "t", 0, ""));
    assertInvalid("id", () -> new Ack("x".repeat(Limits.MAX_ID_LENGTH + 1)));
    assertInvalid("id", () -> new Ack((String) null));
    assertInvalid("ids", () -> new Ack(List.of()));
    assertInvalid("ids", () -> new Ack(Collections.nCopies(Limits.MAX_ACK_IDS + 1, "m")));
    assertInvalid("ids", () -> new Ack(Collections.singletonList(null)));
    assertInvalid("ids", () -> new Ack(List.of("m1", "has space")));
    assertInvalid("ids", () -> new Ack((List<String>) null));
    assertInvalid("token", () -> new Ping("", 0));
    assertInvalid("timestamp", () -> new Pong("t", -1));
    assertInvalid("addresses", () -> new Peers(Collections.nCopies(Limits.MAX_PEERS + 1, "h:1")));
    assertInvalid("addresses", () -> new Peers(Collections.singletonList(null)));
    assertInvalid("reason", () -> new Bye("line\nbreak"));
    assertInvalid("reason", () -> new Bye(null));
    assertInvalid("code", () -> new ErrorMessage(null, "x"));
  }

  @Test
  void idsAndNodeIdsAcceptExactlyTheirCharactersAndLengths() {
    String longest = "x".repeat(Limits.MAX_ID_LENGTH);
    for (String ok : List.of("A-z_09", longest)) {
      assertEquals(ok, new Hello("1.0", ok, "a", "app", null).nodeId());
    }
    for (String bad : List.of("", longest + "x", "a!", "a.b", "a b", "é", "a\u0000")) {
      assertInvalid("nodeId", () -> new Hello("1.0", bad, "a", "app", null));
    }
    for (String ok : List.of("!", "~", "node:42/x", longest)) {
      assertEquals(List.of(ok), new Ack(ok).ids());
    }
    for (String bad : List.of("", longest + "x", "a b", "a\u007f", "é", "a\tb")) {
      assertInvalid("id", () -> new Ack(bad));
    }
  }

  @Test
  void textRejectsExactlyTheControlCharactersAndLoneSurrogates() {
    for (char c : new char[] {0, 0x1f, 0x7f, 0x85, 0x9f, 0xd800, 0xdfff}) {
      assertInvalid("text", () -> new ChatMessage("m", "a", "x" + c + "y", 0, null));
    }
    for (char c : new char[] {' ', '~', 0xa0, 0xad, 0xd7ff, 0xe000, 0xfffd, '\n', '\t'}) {
      assertEquals("x" + c + "y", new ChatMessage("m", "a", "x" + c + "y", 0, null).text());
    }
  }

  /** Long texts are checked on their UTF-8 bytes, eight at a time: the same rule at every offset. */
  @Test
  void longTextsFollowTheSameRuleAtEveryPosition() {
    String plain = "the quick brown fox jumps over the lazy dog, 0123456789";
    char[] bad = {0, 0x1f, 0x7f, 0x85, 0x9f, 0xd800, 0xdc00};
    char[] good = {' ', '~', '?', 0xa0, 0xe9, 0xfffd, '\n', '\t'};
    for (int at = 0; at <= plain.length(); at++) {
      for (char c : bad) {
        String text = plain.substring(0, at) + c + plain.substring(at);
        assertInvalid("text", () -> new ChatMessage("m", "a", text, 0, null));
        String afterEmoji = "😀" + text;
        assertInvalid("text", () -> new ChatMessage("m", "a", afterEmoji, 0, null));
      }
      for (char c : good) {
        String text = plain.substring(0, at) + c + plain.substring(at);
        ChatMessage m = new ChatMessage("m", "a", text, 0, null);
        assertEquals(text, m.text());
        assertEquals(c >= ' ' && c <= '~', m.plainText(), "plain with " + Check.codePoint(c) + " at " + at);
      }
      for (char c : new char[] {'"', '\\'}) {
        String text = plain.substring(0, at) + c + plain.substring(at);
        assertFalse(new ChatMessage("m", "a", text, 0, null).plainText(), "needs an escape");
        // The scan goes on past a quote: a bad char right after it, or at the end, is still found.
        String delAfter = text.substring(0, at + 1) + '\u007f' + text.substring(at + 1);
        for (String then : List.of(delAfter, text + '\u0085')) {
          assertInvalid("text", () -> new ChatMessage("m", "a", then, 0, null));
        }
      }
    }
    // A real '?' is read past; the '?' the JDK writes for an unpaired surrogate is not.
    String questions = "what? why?? " + plain + "?";
    assertTrue(new ChatMessage("m", "a", questions, 0, null).plainText());
    for (String lone : List.of("\uD800", "\uDC00")) {
      for (int at = 0; at <= questions.length(); at++) {
        String text = questions.substring(0, at) + lone + questions.substring(at);
        assertInvalid("text", () -> new ChatMessage("m", "a", text, 0, null));
      }
    }
    assertFalse(new ChatMessage("m", "a", questions + "\"", 0, null).plainText());
    assertFalse(new ChatMessage("m", "a", "?\\" + questions, 0, null).plainText());
    String longest = "é".repeat(Limits.MAX_TEXT_LENGTH);
    assertEquals(longest, new ChatMessage("m", "a", longest, 0, null).text());
    assertInvalid("text", () -> new ChatMessage("m", "a", longest + "x", 0, null));
    assertInvalid("text", () -> new ChatMessage("m", "a", "x".repeat(Limits.MAX_TEXT_LENGTH + 1), 0, null));
  }

  @Test
  void lineNumbersAreWrittenInBase32() {
    assertEquals("1", LineNumbers.id(1));
    assertEquals("v", LineNumbers.id(31));
    assertEquals("10", LineNumbers.id(32));
    assertEquals("vvvvvvvvvvvv", LineNumbers.id(LineNumbers.MAX));
    for (long i = 1; i < 100_000; i++) {
      assertEquals(Long.toString(i, 32), LineNumbers.id(i));
      assertEquals(i, LineNumbers.number(LineNumbers.id(i)));
    }
    assertEquals(LineNumbers.MAX, LineNumbers.number(LineNumbers.id(LineNumbers.MAX)));
    for (String notOne : List.of("", "0", "01", "A", "w", "z", "a-b", "٣", "raw-bob:1", "1000000000000")) {
      assertEquals(-1, LineNumbers.number(notOne), notOne);
    }
    assertThrows(IllegalArgumentException.class, () -> LineNumbers.id(0));
    assertThrows(IllegalArgumentException.class, () -> LineNumbers.id(LineNumbers.MAX + 1));
  }

  @Test
  void anAckRunGoesUpAndAnAckNamesAtMost256Entries() {
    assertEquals("1-2", new Ack.Run(1, 2).toString());
    assertInvalid("runs", () -> new Ack.Run(0, 2));
    assertInvalid("runs", () -> new Ack.Run(2, 2));
    assertInvalid("runs", () -> new Ack.Run(3, 2));
    assertInvalid("runs", () -> new Ack.Run(1, LineNumbers.MAX + 1));
    List<Ack.Run> runs = new ArrayList<>();
    for (int i = 0; i < Limits.MAX_ACK_IDS; i++) runs.add(new Ack.Run(10 * i + 1, 10 * i + 5));
    assertEquals(runs, new Ack(List.of(), runs).runs());
    assertInvalid("runs", () -> new Ack(List.of("m"), runs));
    assertInvalid("ids", () -> new Ack(List.of(), List.of()));
    assertInvalid("runs", () -> new Ack(List.of("m"), Arrays.asList(new Ack.Run(1, 2), null)));
    assertEquals(List.of(), new Ack(List.of("m")).runs());
  }

  @Test
  void aNumberedLineIsTheLineWithThatId() {
    ChatMessage numbered = ChatMessage.numbered(33, "a", "hi", 5, null);
    assertEquals(33, numbered.number());
    assertEquals("11", numbered.id());
    assertEquals(new ChatMessage("11", "a", "hi", 5, null), numbered);
    assertEquals(numbered.hashCode(), new ChatMessage("11", "a", "hi", 5, null).hashCode());
    assertEquals(33, new ChatMessage("11", "a", "hi", 5, null).number());
    assertEquals(-1, new ChatMessage("011", "a", "hi", 5, null).number());
    assertEquals(22, new ChatMessage("m", "a", "hi", 5, null).number(), "m is a digit");
    assertEquals(-1, new ChatMessage("raw:1", "a", "hi", 5, null).number());
    assertInvalid("id", () -> ChatMessage.numbered(0, "a", "hi", 5, null));
    assertInvalid("id", () -> ChatMessage.numbered(LineNumbers.MAX + 1, "a", "hi", 5, null));
    assertInvalid("from", () -> ChatMessage.numbered(1, "a b", "hi", 5, null));
    assertInvalid("id", () -> new ChatMessage(null, "a", "hi", 5, null));
  }

  @Test
  void aChatMessageIsAValueLikeARecord() {
    ChatMessage m = new ChatMessage("m", "a", "hi", 5, null);
    ChatMessage decoded = new ChatMessage("m", -1, "a", "hi", 5, null, true);
    assertEquals(m, decoded);
    assertEquals(m.hashCode(), decoded.hashCode());
    assertNotEquals(m, new ChatMessage("m", "a", "hi", 5, "b"));
    assertNotEquals(m, new ChatMessage("m", "a", "hi", 6, null));
    assertEquals("ChatMessage[id=m, from=a, text=hi, timestamp=5, to=null]", m.toString());
    assertInvalid("text", () -> new ChatMessage("m", -1, "a", "", 5, null, true));
    assertInvalid("text", () -> new ChatMessage("m", -1, "a", "x".repeat(Limits.MAX_TEXT_LENGTH + 1), 5, null, true));
  }

  @Test
  void peersIsImmutable() {
    List<String> addresses = new ArrayList<>(List.of("h:1"));
    Peers peers = new Peers(addresses);
    addresses.add("h:2");
    assertEquals(List.of("h:1"), peers.addresses());
    assertThrows(UnsupportedOperationException.class, () -> peers.addresses().add("h:3"));
  }

  @Test
  void ackIdsAreImmutable() {
    List<String> ids = new ArrayList<>(List.of("m1", "m2"));
    Ack ack = new Ack(ids);
    ids.add("m3");
    assertEquals(List.of("m1", "m2"), ack.ids());
    assertThrows(UnsupportedOperationException.class, () -> ack.ids().add("m4"));
  }

  @Test
  void pingReplyEchoesTokenAndTimestamp() {
    assertEquals(new Pong("t7", 123), new Ping("t7", 123).reply());
  }

  @Test
  void randomIdsAreValidEverywhere() {
    String id = Ids.random();
    assertEquals(22, id.length());
    new Hello("1.0", id, "a", "app", null);
    new ChatMessage(id, "a", "t", 0, null);
    new Ping(id, 0);
    assertTrue(!id.equals(Ids.random()));
  }

  /** Every message within the limits fits in a default frame, even with worst-case escaping. */
  @Test
  void largestMessagesFitInAFrame() throws DecodeException {
    String nick = "😀".repeat(Limits.MAX_NICK_LENGTH);
    String id = "\"".repeat(Limits.MAX_ID_LENGTH);
    String host = String.join(".", "a".repeat(63), "a".repeat(63), "a".repeat(63), "a".repeat(61));
    List<Message> largest = List.of(
        new ChatMessage(id, nick, "\t".repeat(Limits.MAX_TEXT_LENGTH), Long.MAX_VALUE, nick),
        new ChatMessage(id, nick, "😀".repeat(Limits.MAX_TEXT_LENGTH), Long.MAX_VALUE, nick),
        new ChatMessage(id, nick, "\u2028".repeat(Limits.MAX_TEXT_LENGTH), Long.MAX_VALUE, nick),
        new Hello("9".repeat(ProtocolVersion.MAX_LENGTH), "a".repeat(Limits.MAX_ID_LENGTH), nick,
            "\u00ad".repeat(Limits.MAX_APP_VERSION_LENGTH), host + ":65535"),
        new Peers(Collections.nCopies(Limits.MAX_PEERS, host + ":65535")),
        new Bye("\u00ad".repeat(Limits.MAX_REASON_LENGTH)),
        new ErrorMessage(ErrorCode.PROTOCOL_VIOLATION, "\\".repeat(Limits.MAX_REASON_LENGTH)));
    for (Message message : largest) {
      String line = MessageCodec.encode(message);
      int bytes = line.getBytes(UTF_8).length;
      assertTrue(bytes < 26 * 1024, message.type() + " takes " + bytes + " bytes"); // as documented
      assertEquals(message, MessageCodec.decode(line));
    }
  }

  @Test
  void errorReplyIsCutToTheReasonLimit() {
    String longType = "t".repeat(10_000);
    DecodeException e = assertThrows(DecodeException.class,
        () -> MessageCodec.decode("{\"type\":\"" + longType + "\"}"));
    assertTrue(e.toErrorMessage().reason().length() <= Limits.MAX_REASON_LENGTH);
  }

  private static void assertInvalid(String field, Executable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
    assertTrue(e.getMessage().startsWith("invalid \"" + field + "\" field: "), e.getMessage());
  }
}
