package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2pchat.chat.ui.PastedAddress.Source;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PastedAddressTest {
  private static final String FINGERPRINT = "MFZWI3D-BONSGYC-ONQWY5D-NFXGOYK-MFZWI3D-BONSGYC-ONQWY5D-NFXGOYK";

  @ParameterizedTest
  @ValueSource(strings = {
      "Share this address: 5.6.7.1:48083",
      "share this address:5.6.7.1:48083",
      "SHARE THIS ADDRESS:   5.6.7.1:48083",
      "  Share this address: 5.6.7.1:48083  ",
      "14:02 Share this address: 5.6.7.1:48083",
      "\"Share this address: 5.6.7.1:48083\"",
      "Share this address: <5.6.7.1:48083>.",
  })
  void shareLines(String line) {
    PastedAddress a = PastedAddress.recognise(line).orElseThrow(() -> new AssertionError(line));
    assertEquals("5.6.7.1:48083", a.address().toString());
    assertEquals(Source.SHARE_LINE, a.source());
    assertEquals(Optional.empty(), a.fingerprint());
    assertEquals("5.6.7.1:48083 (from the pasted share line)", a.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "5.6.7.1:48083", "5.6.7.1 48083", "5.6.7.1\t48083", "5.6.7.1   48083",
      "5.6.7.1:48083.", "5.6.7.1:48083,", "5.6.7.1:48083!", "5.6.7.1:48083)", "5.6.7.1:48083...",
      "5.6.7.1:48083…", "5.6.7.1:48083?!", "5.6.7.1:48083;", "5.6.7.1:48083:",
      "<5.6.7.1:48083>", "(5.6.7.1:48083)", "[5.6.7.1:48083]", "{5.6.7.1:48083}",
      "\"5.6.7.1:48083\"", "'5.6.7.1:48083'", "`5.6.7.1:48083`", "“5.6.7.1:48083”",
      "‘5.6.7.1:48083’", "«5.6.7.1:48083»", "(<5.6.7.1:48083>).", "<5.6.7.1 48083>",
      " \t5.6.7.1:48083 \n",
  })
  void bareAddresses(String line) {
    PastedAddress a = PastedAddress.recognise(line).orElseThrow(() -> new AssertionError(line));
    assertEquals("5.6.7.1:48083", a.address().toString());
    assertEquals(Source.ADDRESS, a.source());
    assertEquals("5.6.7.1:48083 (from the pasted address)", a.describe());
  }

  @Test
  void lanAddressLine() {
    PastedAddress a = PastedAddress.recognise("LAN address: 192.168.1.10:48083").orElseThrow();
    assertEquals("192.168.1.10:48083", a.address().toString());
    assertEquals(Source.LAN_LINE, a.source());
    assertEquals("192.168.1.10:48083 (from the pasted LAN address line)", a.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[2001:db8::1]:48083", "[2001:db8::1] 48083", "<[2001:db8::1]:48083>.",
      "Share this address: [2001:db8::1]:48083", "[[2001:db8::1]:48083]"})
  void ipv6InBrackets(String line) {
    PastedAddress a = PastedAddress.recognise(line).orElseThrow(() -> new AssertionError(line));
    assertEquals("2001:db8::1", a.address().host());
    assertEquals(48083, a.address().port());
  }

  @Test
  void theFingerprintIsKeptAsTyped() {
    PastedAddress a = PastedAddress.recognise("Share this address: 5.6.7.1:48083#" + FINGERPRINT + ".").orElseThrow();
    assertEquals("5.6.7.1:48083", a.address().toString());
    assertEquals(Optional.of(FINGERPRINT), a.fingerprint());
    assertEquals("5.6.7.1:48083#" + FINGERPRINT, a.token());
    assertEquals(Source.SHARE_LINE, a.source());

    assertEquals(Optional.of("abc"), PastedAddress.recognise("<[::1]:9#abc>").orElseThrow().fingerprint());
    assertEquals(Optional.of("x"), PastedAddress.recognise("5.6.7.1 48083#x").orElseThrow().fingerprint());
    assertEquals("5.6.7.1:48083", PastedAddress.recognise("5.6.7.1:48083").orElseThrow().token());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // ordinary chat
      "", "   ", "hello", "meet at 10:30", "meet at 10:30 tomorrow", "10:30", "10:30.", "lunch:12",
      "see 1.2.3.4 for details", "see 1.2.3.4:80 for details", "1.2.3.4:80 is mine",
      "my address is 5.6.7.1:48083", "Share this address: 5.6.7.1:48083 please",
      "1.2.3.4", "1.2.3.4.", "version 1.2.3.4 5", "1.2.3 4", "3.14159",
      // URLs and other address-like text
      "http://1.2.3.4:80", "http://1.2.3.4:80/", "1.2.3.4:80/path", "user@1.2.3.4:22",
      "https://example.org:443", "example.org:4000", "localhost:48083",
      // not valid addresses
      "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:080", "256.1.1.1:80", "1.2.3.04:80", "1.2.3.4:",
      "1.2.3.4:123456", "[1.2.3.4]:80", "[2001:db8::1::2]:80", "[zz::1]:80", "2001:db8::1 48083",
      "::1:48083", "[2001:db8::1]", "1.2.3.4::80", "1.2.3.4 : 80",
      // a fingerprint must be a token, nothing else may follow
      "5.6.7.1:48083#", "5.6.7.1:48083#abc def", "5.6.7.1:48083 #abc", "5.6.7.1:48083#ab_c",
      // the prefix alone, another prefix, or two addresses
      "Share this address:", "Your address: 5.6.7.1:48083", "5.6.7.1:48083 5.6.7.2:48083",
      "14:02 5.6.7.1:48083", "alice> 5.6.7.1:48083", "<alice> 5.6.7.1:48083",
      // a pasted block of several lines is a message
      "5.6.7.1:48083\nsee you", "hi\n5.6.7.1:48083",
  })
  void chatIsNotAnAddress(String line) {
    assertEquals(Optional.empty(), PastedAddress.recognise(line), line);
  }
}
