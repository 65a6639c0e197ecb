package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressKindTest {
  private static AddressKind kindOf(String literal) {
    return AddressKind.of(IpLiteral.parse(literal));
  }

  @Test
  void classifiesAddresses() {
    for (String a : new String[] {"5.6.7.1", "203.0.113.7", "8.8.8.8", "100.128.0.1", "172.32.0.1",
        "2001:db8::1"}) {
      assertEquals(AddressKind.PUBLIC, kindOf(a), a);
    }
    for (String a : new String[] {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "100.64.0.1", "100.127.255.255", "169.254.1.1", "127.0.0.1", "192.0.0.1", "198.18.0.1",
        "fd00::1", "fe80::1", "::1"}) {
      assertEquals(AddressKind.PRIVATE, kindOf(a), a);
    }
    for (String a : new String[] {"0.0.0.0", "255.255.255.255", "224.0.0.1", ""}) {
      assertEquals(AddressKind.NONE, kindOf(a), a);
    }
    assertEquals(AddressKind.NONE, AddressKind.of(null));
    assertTrue(AddressKind.PRIVATE.explanation().contains("another NAT"));
  }

  @Test
  void parsesOnlyLiterals() {
    assertEquals("192.168.1.1", IpLiteral.parse(" 192.168.1.1 ").getHostAddress());
    assertEquals("0:0:0:0:0:0:0:1", IpLiteral.parse("[::1]").getHostAddress());
    for (String ok : new String[] {"127.0.0.1", "255.255.255.255", "0.0.0.0", "::1", "[::1]",
        "FE80::1", "[2001:db8::1]", "::ffff:1.2.3.4", "1.2.3.4 "}) {
      assertNotNull(IpLiteral.parse(ok), ok);
    }
    for (String notLiteral : new String[] {"localhost", "router.lan", "1.2.3", "1.2.3.4.5", "256.1.1.1",
        "1.2.3.-4", "01234.1.1.1", "fe80::1%eth0", "a:b:g::1", null, "1.2.3.", ".1.2.3", "1..2.3",
        "cafe", "[1.2.3.4]", "", "[]", "\u0661.\u0662.\u0663.\u0664"}) {
      assertNull(IpLiteral.parse(notLiteral), notLiteral);
    }
  }
}
