package dev.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolVersionTest {
  @ParameterizedTest
  @ValueSource(strings = {"1.0", "1.1", "1.9999"})
  void sameMajorIsSupported(String version) {
    assertTrue(ProtocolVersion.isSupported(version));
    assertEquals(Optional.empty(), ProtocolVersion.check(hello(version)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2.0", "0.9", "1", "1.", ".1", "01.0", "1.0.1", "v1.0", "1.0 ", "١.٠",
      "10000.0", "one"})
  void otherVersionsGetUnsupportedVersion(String version) {
    assertFalse(ProtocolVersion.isSupported(version));
    ErrorMessage error = ProtocolVersion.check(hello(version)).orElseThrow();
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, error.code());
    assertTrue(error.reason().contains(ProtocolVersion.CURRENT), error.reason());
  }

  @Test
  void nullIsNotSupported() {
    assertFalse(ProtocolVersion.isSupported(null));
  }

  @Test
  void currentIsSupported() {
    assertTrue(ProtocolVersion.isSupported(ProtocolVersion.CURRENT));
    assertEquals(ProtocolVersion.CURRENT, Hello.of("n", "a", "app", null).protocolVersion());
  }

  @Test
  void aHelloFromTheFutureDecodesSoItCanBeAnswered() throws DecodeException {
    Message hello = MessageCodec.decode("{\"type\":\"hello\",\"protocolVersion\":\"2.0\","
        + "\"nodeId\":\"n\",\"nick\":\"a\",\"appVersion\":\"p2p-chat/9\",\"newField\":[1]}");
    ErrorMessage error = ProtocolVersion.check((Hello) hello).orElseThrow();
    assertEquals("{\"type\":\"error\",\"code\":\"unsupported-version\",\"reason\":\"protocol "
        + "version \\\"2.0\\\" is not supported; this node speaks 1.2 (major version 1)\"}",
        MessageCodec.encode(error));
  }

  @Test
  void atLeastComparesMajorThenMinor() {
    assertTrue(ProtocolVersion.atLeast("1.1", ProtocolVersion.ACK_BATCHES));
    assertTrue(ProtocolVersion.atLeast("1.10", "1.9"));
    assertTrue(ProtocolVersion.atLeast(ProtocolVersion.CURRENT, ProtocolVersion.ACK_BATCHES));
    assertFalse(ProtocolVersion.atLeast("1.0", ProtocolVersion.ACK_BATCHES));
    assertTrue(ProtocolVersion.atLeast(ProtocolVersion.CURRENT, ProtocolVersion.ACK_RUNS));
    assertFalse(ProtocolVersion.atLeast("1.1", ProtocolVersion.ACK_RUNS));
    assertFalse(ProtocolVersion.atLeast("1.9", "1.10"));
    assertFalse(ProtocolVersion.atLeast("2.0", "1.1")); // not spoken at all
    assertFalse(ProtocolVersion.atLeast("junk", "1.1"));
    assertFalse(ProtocolVersion.atLeast(null, "1.1"));
  }

  private static Hello hello(String version) {
    return new Hello(version, "node", "nick", "app", null);
  }
}
