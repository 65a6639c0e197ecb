package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2pchat.protocol.HostPort;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntroducedAddressesTest {
  private static final InetAddress INTERNET_PEER = ip("5.6.7.8");
  private static final InetAddress LOOPBACK_PEER = ip("127.0.0.1");

  @Test
  void publicUnicastLiteralsAtUnprivilegedPortsAreDialled() {
    assertEquals(Optional.empty(), refusal("5.6.7.9:48083", INTERNET_PEER));
    assertEquals(Optional.empty(), refusal("[2001:4860::8888]:1024", INTERNET_PEER));
  }

  @Test
  void privilegedPortsNamesLoopbackAndOtherNetworksAreNot() {
    assertEquals(Optional.of("a privileged port"), refusal("5.6.7.9:1023", INTERNET_PEER));
    assertEquals(Optional.of("a privileged port"), refusal("5.6.7.9:22", LOOPBACK_PEER));
    assertEquals(Optional.of("not an IP address"), refusal("example.org:48083", INTERNET_PEER));
    assertEquals(Optional.of("a loopback address"), refusal("127.0.0.1:48083", INTERNET_PEER));
    assertEquals(Optional.of("a loopback address"), refusal("[::1]:48083", ip("192.168.1.7")));
    assertEquals(Optional.of("a private address not on our network"), refusal("192.168.1.20:48083", INTERNET_PEER));
    assertEquals(Optional.of("a private address not on our network"), refusal("10.0.0.5:48083", INTERNET_PEER));
    assertEquals(Optional.of("not a unicast address"), refusal("0.0.0.0:48083", INTERNET_PEER));
    assertEquals(Optional.of("not a unicast address"), refusal("224.0.0.1:48083", INTERNET_PEER));
    assertEquals(Optional.of("a private address not on our network"), refusal("100.64.0.9:48083", INTERNET_PEER));
  }

  @Test
  void loopbackIsDialledOnlyWhenTheIntroducerIsOnThisHostToo() {
    assertEquals(Optional.empty(), refusal("127.0.0.1:48083", LOOPBACK_PEER));
  }

  private static Optional<String> refusal(String address, InetAddress introducer) {
    return IntroducedAddresses.refusal(HostPort.parse(address), introducer);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
