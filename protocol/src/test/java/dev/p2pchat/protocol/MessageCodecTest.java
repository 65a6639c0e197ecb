package dev.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {
  static List<Message> everyType() {
    return Samples.everyType();
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void roundTripsEveryType(Message message) throws DecodeException {
    String line = MessageCodec.encode(message);
    assertEquals(message, MessageCodec.decode(line));
    assertTrue(line.startsWith("{\"type\":\"" + message.type() + "\""), line);
  }

  @Test
  void encodesTheDocumentedForm() {
    assertEquals("{\"type\":\"msg\",\"id\":\"m1\",\"from\":\"alice\",\"text\":\"hi\","
        + "\"timestamp\":1700000000000}",
        MessageCodec.encode(new ChatMessage("m1", "alice", "hi", 1_700_000_000_000L, null)));
    assertEquals("{\"type\":\"error\",\"code\":\"unsupported-version\",\"reason\":\"no\"}",
        MessageCodec.encode(new ErrorMessage(ErrorCode.UNSUPPORTED_VERSION, "no")));
    assertEquals("{\"type\":\"peers\",\"addresses\":[\"[::1]:5#" + Samples.FINGERPRINT + "\"]}",
        MessageCodec.encode(new Peers(List.of("[::1]:5#" + Samples.FINGERPRINT))));
    assertEquals("{\"type\":\"ack\",\"id\":\"m1\"}", MessageCodec.encode(new Ack("m1")));
    assertEquals("{\"type\":\"msg\",\"id\":\"m2\",\"from\":\"a\",\"text\":\"<\\\"é\\u2028\\n\",\"timestamp\":0,\"to\":\"b\"}",
        MessageCodec.encode(new ChatMessage("m2", "a", "<\"é\u2028\n", 0, "b")));
  }

  @Test
  void aBadArrayElementCountsAgainstItsOwnFieldOnly() throws DecodeException {
    String peer = "1.2.3.4:5#" + Samples.FINGERPRINT;
    assertEquals(new Peers(List.of(peer)), MessageCodec.decode(
        "{\"type\":\"peers\",\"ids\":[7],\"addresses\":[\"" + peer + "\"]}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "日本語のテキスト、こんにちは",
      "emoji 😀👩‍👩‍👧 🇯🇵 and a skin tone 👍🏽",
      "עברית ومعها العربية mixed with LTR",
      "she said \"hi\" and 'bye'",
      "back\\slash \\n \\u0041 \\\\",
      "two\nlines\n\nand a\ttab",
      "line separator \u2028 paragraph separator \u2029",
      "</script><!-- html-ish & < > =",
      "\n"
  })
  void roundTripsTricky(String text) throws DecodeException {
    ChatMessage message = new ChatMessage("id", "名前", text, 0, "😀");
    String line = MessageCodec.encode(message);
    assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028")
        || line.contains("\u2029"), line);
    assertEquals(message, MessageCodec.decode(line));
  }

  @Test
  void ignoresUnknownFields() throws DecodeException {
    Message decoded = MessageCodec.decode("{\"future\":{\"a\":[1,2,{\"b\":null}]},\"type\":\"ack\","
        + "\"id\":\"m9\",\"zeta\":true,\"also\":\"x\"}");
    assertEquals(new Ack("m9"), decoded);
  }

  @Test
  void unknownErrorCodeDecodesToUnknown() throws DecodeException {
    assertEquals(new ErrorMessage(ErrorCode.UNKNOWN, "new"),
        MessageCodec.decode("{\"type\":\"error\",\"code\":\"quota-exceeded\",\"reason\":\"new\"}"));
  }

  @Test
  void nullOptionalFieldIsAbsent() throws DecodeException {
    assertEquals(new ChatMessage("m", "a", "t", 1, null), MessageCodec.decode(
        "{\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"text\":\"t\",\"timestamp\":1,\"to\":null}"));
  }

  @Test
  void acceptsIntegralNumbersWrittenOtherwise() throws DecodeException {
    assertEquals(new Ping("p", 1000), MessageCodec.decode(
        "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1e3}"));
    assertEquals(new Ping("p", 5), MessageCodec.decode(
        "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":5.0}"));
  }

  static Stream<Arguments> badFrames() {
    return Stream.of(
        bad("", ErrorCode.BAD_MESSAGE, null),
        bad("not json", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ack\",\"id\":\"m\"", ErrorCode.BAD_MESSAGE, null),
        bad("{'type':'ack','id':'m'}", ErrorCode.BAD_MESSAGE, null),
        bad("{type:\"ack\",id:\"m\"}", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ack\",\"id\":\"m\",}", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ack\",\"id\":\"m\"} {}", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ack\",\"id\":\"m\"}x", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ack\",\"id\":\"a\tb\"}", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ack\",\"id\":\"\\x\"}", ErrorCode.BAD_MESSAGE, null),
        bad("[\"type\",\"ack\"]", ErrorCode.BAD_MESSAGE, null),
        bad("\"ack\"", ErrorCode.BAD_MESSAGE, null),
        bad("42", ErrorCode.BAD_MESSAGE, null),
        bad("null", ErrorCode.BAD_MESSAGE, null),
        bad("{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":NaN}", ErrorCode.BAD_MESSAGE, null),
        bad("{}", ErrorCode.INVALID_FIELD, "type"),
        bad("{\"id\":\"m\"}", ErrorCode.INVALID_FIELD, "type"),
        bad("{\"type\":null}", ErrorCode.INVALID_FIELD, "type"),
        bad("{\"type\":7}", ErrorCode.INVALID_FIELD, "type"),
        bad("{\"type\":\"ack\",\"type\":\"ack\",\"id\":\"m\"}", ErrorCode.INVALID_FIELD, "type"),
        bad("{\"type\":\"teleport\",\"id\":\"m\"}", ErrorCode.UNKNOWN_TYPE, "type"),
        bad("{\"type\":\"ack\"}", ErrorCode.INVALID_FIELD, "id"),
        bad("{\"type\":\"ack\",\"id\":7}", ErrorCode.INVALID_FIELD, "id"),
        bad("{\"type\":\"ack\",\"id\":\"has space\"}", ErrorCode.INVALID_FIELD, "id"),
        bad("{\"type\":\"ping\",\"token\":\"p\"}", ErrorCode.INVALID_FIELD, "timestamp"),
        bad("{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":\"5\"}", ErrorCode.INVALID_FIELD, "timestamp"),
        bad("{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1.5}", ErrorCode.INVALID_FIELD, "timestamp"),
        bad("{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1e400}", ErrorCode.INVALID_FIELD, "timestamp"),
        bad("{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":-1}", ErrorCode.INVALID_FIELD, "timestamp"),
        bad("{\"type\":\"pong\",\"token\":[],\"timestamp\":1}", ErrorCode.INVALID_FIELD, "token"),
        bad("{\"type\":\"peers\",\"addresses\":\"1.2.3.4:5\"}", ErrorCode.INVALID_FIELD, "addresses"),
        bad("{\"type\":\"peers\",\"addresses\":[1]}", ErrorCode.INVALID_FIELD, "addresses"),
        bad("{\"type\":\"peers\",\"addresses\":[\"1.2.3.4\"]}", ErrorCode.INVALID_FIELD, "addresses"),
        bad("{\"type\":\"peers\"}", ErrorCode.INVALID_FIELD, "addresses"),
        bad("{\"type\":\"bye\",\"reason\":{}}", ErrorCode.INVALID_FIELD, "reason"),
        bad("{\"type\":\"error\",\"code\":\"x\"}", ErrorCode.INVALID_FIELD, "reason"),
        bad("{\"type\":\"error\",\"reason\":\"x\"}", ErrorCode.INVALID_FIELD, "code"),
        bad("{\"type\":\"error\",\"code\":false,\"reason\":\"x\"}", ErrorCode.INVALID_FIELD, "code"),
        bad(msg("\"from\":\"two words\""), ErrorCode.INVALID_FIELD, "from"),
        bad(msg("\"from\":\"a\",\"to\":\"\\u0007bell\""), ErrorCode.INVALID_FIELD, "to"),
        bad(msg("\"from\":\"a\",\"text\":\"\""), ErrorCode.INVALID_FIELD, "text"),
        bad(msg("\"from\":\"a\",\"text\":\"esc \\u001b[2J\""), ErrorCode.INVALID_FIELD, "text"),
        bad(msg("\"from\":\"a\",\"text\":\"lone \\ud800\""), ErrorCode.INVALID_FIELD, "text"),
        bad("{\"type\":\"peers\",\"addresses\":[\"1.2.3.4:5\"]}", ErrorCode.INVALID_FIELD, "addresses"),
        bad(hello("\"address\":\"1.2.3.4:0\""), ErrorCode.INVALID_FIELD, "address"),
        bad(hello("\"protocolVersion\":\"\""), ErrorCode.INVALID_FIELD, "protocolVersion"));
  }

  private static Arguments bad(String line, ErrorCode code, String field) {
    return Arguments.of(line, code, field);
  }

  /** A msg frame with {@code fields} overriding the valid defaults (later duplicates are avoided). */
  private static String msg(String fields) {
    String text = fields.contains("\"text\"") ? "" : ",\"text\":\"t\"";
    return "{\"type\":\"msg\",\"id\":\"m\",\"timestamp\":1" + text + "," + fields + "}";
  }

  private static String hello(String fields) {
    String version = fields.contains("protocolVersion") ? "" : ",\"protocolVersion\":\"1.0\"";
    return "{\"type\":\"hello\",\"nick\":\"a\",\"appVersion\":\"x\"" + version + "," + fields + "}";
  }

  @ParameterizedTest
  @MethodSource("badFrames")
  void rejectsBadFramesWithTypedErrors(String line, ErrorCode code, String field) {
    DecodeException e = assertThrows(DecodeException.class, () -> MessageCodec.decode(line));
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(Optional.ofNullable(field), e.field(), e.getMessage());
    if (code == ErrorCode.INVALID_FIELD) {
      assertTrue(e.getMessage().contains("\"" + field + "\""), e.getMessage());
    }
    ErrorMessage reply = e.toErrorMessage();
    assertEquals(code, reply.code());
    assertEquals(e.getMessage(), reply.reason());
  }

  /** Frames near the edges of JSON and of the message rules: a message that re-encodes, or a typed error. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":0}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":-0}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":01}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":-}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1.}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1E2}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":9223372036854775807}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":9223372036854775808}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":-9223372036854775809}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":123456789012345678}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1234567890123456789}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1}}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1,}",
      "{\"type\":\"ping\",\"token\":\"p\",,\"timestamp\":1}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1} ",
      " {\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1}",
      "{\"type\":\"ping\", \"token\":\"p\",\"timestamp\":1}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":true}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":nul}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":nullx}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":fals}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":\"1\"}",
      "{\"type\":\"ping\",\"token\":\"p}",
      "{\"type\":\"ping\",\"token\":\"p\",\"token\":\"q\",\"timestamp\":1}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1,\"x\":[],\"y\":{}}",
      "{\"type\":\"ping\",\"token\":\"p\",\"timestamp\":1,\"\":false,\"x\":null}",
      "{\"type\":\"ack\",\"id\":\"m\",\"typ\":1,\"types\":2,\"id2\":\"x\"}",
      "{\"type\":\"ack\",\"id\":\"\\u0041\"}",
      "{\"type\":\"ack\",\"id\":\"a\u007fb\"}",
      "{\"type\":\"msg\",\"id\":\"m\",\"from\":\"a\",\"text\":\"\u2028\ud800\",\"timestamp\":1}",
      "{\"type\":\"ack\",\"id\":null}",
      "{\"type\":\"ack\"\"id\":\"m\"}",
      "{\"type\":\"ack\",\"id\"\"m\"}",
      "{\"type\":\"ack\",\"id\":}",
      "{\"type\":\"ack\",\"id\":\"m\"",
      "{\"type\"}",
      "{\"\"}",
      "{\"}",
      "{}",
      "{,}",
      "{\"type\":\"ack\",\"id\":\"m\"}{}",
      "{\"type\":\"ack\",\"ids\":[\"a\",\"b\"]}",
      "{\"type\":\"ack\",\"ids\":[\"é\",\"ü\"],\"addresses\":[]}",
      "{\"type\":\"ack\",\"ids\":[]}",
      "{\"type\":\"ack\",\"ids\":[\"a\",]}",
      "{\"type\":\"ack\",\"ids\":[,\"a\"]}",
      "{\"type\":\"ack\",\"ids\":[\"a\" ]}",
      "{\"type\":\"ack\",\"ids\":[\"a\"}",
      "{\"type\":\"ack\",\"ids\":[\"a\"]",
      "{\"type\":\"ack\",\"ids\":[\"a\"]]}",
      "{\"type\":\"ack\",\"ids\":[\"a\",1]}",
      "{\"type\":\"ack\",\"ids\":[\"a\",[\"b\"]]}",
      "{\"type\":\"ack\",\"ids\":[\"\\u0041\"]}",
      "{\"type\":\"ack\",\"ids\":[\"a\"],\"ids\":[\"b\"]}",
      "{\"type\":\"ack\",\"id\":\"m\",\"x\":[\"a\"],\"token\":[\"t\"]}",
      "{\"type\":\"peers\",\"addresses\":[\"1.2.3.4:5\",\"h:6\"]}",
      "{\"type\":\"peers\",\"addresses\":[null]}",
      "{\"type\":\"peers\",\"addresses\":[\"1.2.3.4:5\"],\"ids\":[7]}"
  })
  void edgeFramesDecodeToAMessageOrATypedError(String line) {
    try {
      Message decoded = MessageCodec.decode(line);
      assertEquals(decoded, MessageCodec.decode(MessageCodec.encode(decoded)));
    } catch (DecodeException e) {
      assertTrue(e.toErrorMessage().reason().length() > 0);
    }
  }

  @Test
  void deepNestingIsABadMessageNotAStackOverflow() {
    String deep = "[".repeat(20_000) + "]".repeat(20_000);
    for (String line : List.of("{\"type\":\"ack\",\"id\":" + deep + "}",
        "{\"type\":\"ack\",\"id\":\"m\",\"unknown\":" + deep + "}", deep)) {
      DecodeException e = assertThrows(DecodeException.class, () -> MessageCodec.decode(line));
      assertEquals(ErrorCode.BAD_MESSAGE, e.code(), e.getMessage());
    }
  }

  @Test
  void errorMessagesAreReadableAndSafe() {
    DecodeException e = assertThrows(DecodeException.class,
        () -> MessageCodec.decode("{\"type\":\"evil\\u001b[31m" + "x".repeat(100) + "\"}"));
    assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
    assertTrue(e.getMessage().startsWith("unknown message type \"evil\\u001b[31mxxx"),
        e.getMessage());
    assertTrue(e.getMessage().length() < 80, e.getMessage());
    assertEquals("the frame is not valid JSON",
        assertThrows(DecodeException.class, () -> MessageCodec.decode("{\"type\" \"ack\"}"))
            .getMessage());
    // gson's wording would echo the peer's field names; it is left out
    assertEquals("the frame is not valid JSON",
        assertThrows(DecodeException.class,
            () -> MessageCodec.decode("{\"\\u001b[2J\":\"unterminated")).getMessage());
  }
}
