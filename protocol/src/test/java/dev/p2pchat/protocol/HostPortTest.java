package dev.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
  @ParameterizedTest
  @CsvSource({
      "203.0.113.7:4000, 203.0.113.7, 4000",
      "0.0.0.0:1, 0.0.0.0, 1",
      "255.255.255.255:65535, 255.255.255.255, 65535",
      "[2001:db8::1]:4000, 2001:db8::1, 4000",
      "[::1]:80, ::1, 80",
      "[::]:80, ::, 80",
      "[1:2:3:4:5:6:7:8]:9, 1:2:3:4:5:6:7:8, 9",
      "[::ffff:192.0.2.1]:9, ::ffff:192.0.2.1, 9",
      "[64:ff9b::192.0.2.33]:9, 64:ff9b::192.0.2.33, 9",
      "[FE80::ABCD]:9, FE80::ABCD, 9",
      "localhost:7000, localhost, 7000",
      "peer-1.example.org:443, peer-1.example.org, 443",
      "xn--bcher-kva.example:8, xn--bcher-kva.example, 8"})
  void parsesAndPrintsBack(String text, String host, int port) {
    HostPort parsed = HostPort.parse(text);
    assertEquals(new HostPort(host, port), parsed);
    assertEquals(text, parsed.toString());
    assertEquals(Optional.empty(), HostPort.problem(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.2.3.4", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:99999",
      "1.2.3.4:-1", "1.2.3.4:+80", "1.2.3.4:080", "1.2.3.4:8o", "1.2.3.4:٨٠", "1.2.3.256:80",
      "1.2.3:80", "1.2.3.4.5:80", "01.2.3.4:80", "1..3.4:80", ":80", "::1:80", "[::1]80",
      "[::1:80", "::1]:80", "[1.2.3.4]:80", "[1:2:3:4:5:6:7:8:9]:80", "[1::2::3]:80",
      "[12345::]:80", "[::g]:80", "[fe80::1%eth0]:80", "[:::]:80", "[1:2:3:4:5:6:7::8]:80",
      "[1:2:3:4:5:6:1.2.3.4:8]:80", "host name:80", "-host:80", "host-:80", "ho_st:80",
      "exa mple.org:80", "example.org.:80", "bücher.example:80", "a.123:80", "999:80",
      "1.2.3.4:80\n", "\u202e1.2.3.4:80"})
  void rejects(String text) {
    Optional<String> problem = HostPort.problem(text);
    assertTrue(problem.isPresent(), text);
    assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
  }

  @Test
  void rejectsOverlongNames() {
    String label = "a".repeat(63);
    String host = String.join(".", label, label, label, "a".repeat(61)); // 253 characters
    assertEquals(Optional.empty(), HostPort.problem(host + ":1"));
    assertTrue(HostPort.problem("a" + host + ":1").isPresent());
    assertTrue(HostPort.problem("a".repeat(64) + ".org:1").isPresent());
  }

  @Test
  void reasonsAreSpecific() {
    assertEquals(Optional.of("address \"1.2.3.4\" has no port (expected host:port)"),
        HostPort.problem("1.2.3.4"));
    assertEquals(Optional.of("address \"1.2.3.4:70000\" has port 70000, above 65535"),
        HostPort.problem("1.2.3.4:70000"));
    assertEquals(Optional.of("address \"::1:80\" is not host:port (write IPv6 addresses as "
        + "[v6]:port)"), HostPort.problem("::1:80"));
  }

  @Test
  void constructorValidatesToo() {
    assertThrows(IllegalArgumentException.class, () -> new HostPort("1.2.3.4", 0));
    assertThrows(IllegalArgumentException.class, () -> new HostPort("no spaces", 1));
    assertThrows(IllegalArgumentException.class, () -> new HostPort(null, 1));
  }
}
