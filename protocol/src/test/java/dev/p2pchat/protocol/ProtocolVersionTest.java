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
  @ValueSource(strings = {"2.0", "2.1", "2.9999"})
  void sameMajorIsSupported(String version) {
    assertTrue(ProtocolVersion.isSupported(version));
    assertEquals(Optional.empty(), ProtocolVersion.check(hello(version)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.0", "1.2", "3.0", "0.9", "2", "2.", ".1", "02.0", "2.0.1", "v2.0", "2.0 ", "٢.٠",
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
    assertEquals(ProtocolVersion.CURRENT, Hello.of("a", "app", null).protocolVersion());
  }

  @Test
  void aHelloFromTheFutureDecodesSoItCanBeAnswered() throws DecodeException {
    Message hello = MessageCodec.decode("{\"type\":\"hello\",\"protocolVersion\":\"3.0\","
        + "\"nick\":\"a\",\"appVersion\":\"p2p-chat/9\",\"newField\":[1]}");
    ErrorMessage error = ProtocolVersion.check((Hello) hello).orElseThrow();
    assertEquals("{\"type\":\"error\",\"code\":\"unsupported-version\",\"reason\":\"protocol "
        + "version \\\"3.0\\\" is not supported; this node speaks 2.0 (major version 2)\"}",
        MessageCodec.encode(error));
  }

  @Test
  void aPeerSpeakingProtocol1IsToldWhichVersionThisNodeSpeaks() {
    ErrorMessage error = ProtocolVersion.check(hello("1.2")).orElseThrow();
    assertEquals("protocol version \"1.2\" is not supported; this node speaks 2.0 (major version 2)",
        error.reason());
  }

  private static Hello hello(String version) {
    return new Hello(version, "nick", "app", null);
  }
}
