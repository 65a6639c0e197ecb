package dev.p2pchat.chat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.protocol.HostPort;
import org.junit.jupiter.api.Test;

class ShareTokenTest {
  private static final String ID = "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2";

  @Test
  void roundTripsIpv4() throws Exception {
    ShareToken token = ShareToken.parse("5.6.7.1:48083#" + ID);

    assertEquals(new HostPort("5.6.7.1", 48083), token.address());
    assertEquals(Fingerprint.parse(ID), token.fingerprint());
    assertEquals("5.6.7.1:48083#" + ID, token.toString());
    assertEquals(token, ShareToken.parse(token.toString()));
  }

  @Test
  void roundTripsBracketedIpv6() throws Exception {
    ShareToken token = ShareToken.parse("[2001:db8::1]:48083#" + ID);

    assertEquals(new HostPort("2001:db8::1", 48083), token.address());
    assertEquals("[2001:db8::1]:48083#" + ID, token.toString());
    assertEquals(token, ShareToken.parse(token.toString()));
  }

  @Test
  void toleratesWhatPastingAddsAroundAndInsideTheFingerprint() throws Exception {
    ShareToken token = ShareToken.parse("  5.6.7.1:48083#" + ID.toLowerCase().replace('-', ' ') + "\n");

    assertEquals("5.6.7.1:48083#" + ID, token.toString());
  }

  @Test
  void saysWhatIsWrong() {
    assertEquals("\"5.6.7.1:48083\" has no fingerprint: expected address#fingerprint, as the"
        + " other node's share line shows it", message("5.6.7.1:48083"));
    assertEquals("address \"2001:db8::1:48083\" is not host:port (write IPv6 addresses as"
        + " [v6]:port)", message("2001:db8::1:48083#" + ID));
    assertEquals("address \"5.6.7.1\" has no port (expected host:port)", message("5.6.7.1#" + ID));
    assertTrue(message("5.6.7.1:70000#" + ID).contains("above 65535"));
    assertTrue(message("5.6.7.1:48083#" + ID.replace('Q', 'R')).contains("check character"));
    assertTrue(message("5.6.7.1:48083#").contains("this one has 0"));
  }

  private static String message(String typed) {
    return assertThrows(TokenFormatException.class, () -> ShareToken.parse(typed)).getMessage();
  }
}
