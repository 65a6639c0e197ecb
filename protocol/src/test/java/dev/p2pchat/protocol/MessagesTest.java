package dev.p2pchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The record constructors enforce the same rules as decoding. */
class MessagesTest {
  @Test
  void constructorsRejectInvalidFieldsNamingThem() {
    assertInvalid("nick", () -> new Hello("1.0", "two words", "app", null));
    assertInvalid("appVersion", () -> new Hello("1.0", "a", "", null));
    assertInvalid("address", () -> new Hello("1.0", "a", "app", "nowhere"));
    assertInvalid("protocolVersion", () -> new Hello("1.0".repeat(6), "a", "app", null));
    assertInvalid("id", () -> new ChatMessage(null, "a", "t", 0, null));
    assertInvalid("text", () -> new ChatMessage("m", "a", "x".repeat(Limits.MAX_TEXT_LENGTH + 1),
        0, null));
    assertInvalid("text", () -> new ChatMessage("m", "a", "carriage\rreturn", 0, null));
    assertInvalid("timestamp", () -> new ChatMessage("m", "a", "t", -5, null));
    assertInvalid("to", () -> new ChatMessage("m", "a", "t", 0, ""));
    assertInvalid("id", () -> new Ack("x".repeat(Limits.MAX_ID_LENGTH + 1)));
    assertInvalid("id", () -> new Ack((String) null));
    assertInvalid("id", () -> new Ack("has space"));
    assertInvalid("token", () -> new Ping("", 0));
    assertInvalid("timestamp", () -> new Pong("t", -1));
    assertInvalid("addresses", () -> new Peers(Collections.nCopies(Limits.MAX_PEERS + 1, "h:1")));
    assertInvalid("addresses", () -> new Peers(Collections.singletonList(null)));
    assertInvalid("addresses", () -> new Peers(List.of("1.2.3.4:5")));
    assertInvalid("addresses", () -> new Peers(List.of("1.2.3.4:5#" + Samples.FINGERPRINT.toLowerCase())));
    assertInvalid("addresses", () -> new Peers(List.of("1.2.3.4#" + Samples.FINGERPRINT)));
    assertInvalid("reason", () -> new Bye("line\nbreak"));
    assertInvalid("reason", () -> new Bye(null));
    assertInvalid("code", () -> new ErrorMessage(null, "x"));
  }

  @Test
  void idsAcceptExactlyTheirCharactersAndLengths() {
    String longest = "x".repeat(Limits.MAX_ID_LENGTH);
    for (String ok : List.of("!", "~", "node:42/x", longest)) {
      assertEquals(ok, new Ack(ok).id());
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

  /** The same rule holds wherever in a text the character is. */
  @Test
  void longTextsFollowTheSameRuleAtEveryPosition() {
    String plain = "the quick brown fox jumps over the lazy dog, 0123456789";
    char[] bad = {0, 0x1f, 0x7f, 0x85, 0x9f, 0xd800, 0xdc00};
    char[] good = {' ', '~', '?', '"', '\\', 0xa0, 0xe9, 0xfffd, '\n', '\t'};
    for (int at = 0; at <= plain.length(); at++) {
      for (char c : bad) {
        String text = plain.substring(0, at) + c + plain.substring(at);
        assertInvalid("text", () -> new ChatMessage("m", "a", text, 0, null));
        String afterEmoji = "😀" + text;
        assertInvalid("text", () -> new ChatMessage("m", "a", afterEmoji, 0, null));
      }
      for (char c : good) {
        String text = plain.substring(0, at) + c + plain.substring(at);
        assertEquals(text, new ChatMessage("m", "a", text, 0, null).text());
      }
    }
    String longest = "é".repeat(Limits.MAX_TEXT_LENGTH);
    assertEquals(longest, new ChatMessage("m", "a", longest, 0, null).text());
    assertInvalid("text", () -> new ChatMessage("m", "a", longest + "x", 0, null));
    assertInvalid("text", () -> new ChatMessage("m", "a", "x".repeat(Limits.MAX_TEXT_LENGTH + 1), 0, null));
  }

  @Test
  void peersIsImmutable() {
    String one = "h:1#" + Samples.FINGERPRINT;
    List<String> addresses = new ArrayList<>(List.of(one));
    Peers peers = new Peers(addresses);
    addresses.add("h:2#" + Samples.FINGERPRINT);
    assertEquals(List.of(one), peers.addresses());
    assertThrows(UnsupportedOperationException.class, () -> peers.addresses().add(one));
  }

  @Test
  void pingReplyEchoesTokenAndTimestamp() {
    assertEquals(new Pong("t7", 123), new Ping("t7", 123).reply());
  }

  @Test
  void randomIdsAreValidEverywhere() {
    String id = Ids.random();
    assertEquals(22, id.length());
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
        new Hello("9".repeat(ProtocolVersion.MAX_LENGTH), nick,
            "\u00ad".repeat(Limits.MAX_APP_VERSION_LENGTH), host + ":65535"),
        new Peers(Collections.nCopies(Limits.MAX_PEERS, host + ":65535#" + Samples.FINGERPRINT)),
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
