package dev.p2pchat.chat.node;

import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.upnp.AddressKind;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Optional;

/**
 * Which addresses a peer introduces are worth dialling. A peer could otherwise make this node
 * connect wherever it likes: to services on this host or its LAN, or to privileged ports. So a
 * node dials only IP literals (no look-ups on a peer's say) at ports from 1024, and only public
 * unicast addresses, unless the introducer itself reached us over the same private network.
 */
final class IntroducedAddresses {
  static final int LOWEST_PORT = 1024;

  private IntroducedAddresses() {}

  /**
   * Why {@code introduced}, named by a peer connected from {@code introducer}, is not dialled;
   * empty if it may be.
   */
  static Optional<String> refusal(HostPort introduced, InetAddress introducer) {
    if (introduced.port() < LOWEST_PORT) return Optional.of("a privileged port");
    if (!Addresses.isIpLiteral(introduced.host())) return Optional.of("not an IP address");
    InetAddress ip;
    try {
      ip = InetAddress.getByName(introduced.host()); // a literal: no look-up
    } catch (UnknownHostException e) {
      return Optional.of("not an IP address");
    }
    if (ip.isAnyLocalAddress() || ip.isMulticastAddress()) return Optional.of("not a unicast address");
    if (ip.isLoopbackAddress()) {
      return introducer.isLoopbackAddress() ? Optional.empty() : Optional.of("a loopback address");
    }
    AddressKind kind = AddressKind.of(ip);
    if (kind == AddressKind.PUBLIC) return Optional.empty();
    if (kind == AddressKind.NONE) return Optional.of("not a unicast address");
    boolean sameNetwork = AddressKind.of(introducer) == AddressKind.PRIVATE
        && !introducer.isLoopbackAddress() && onOurNetwork(ip);
    return sameNetwork ? Optional.empty() : Optional.of("a private address not on our network");
  }

  /** Whether {@code ip} is in the subnet of one of this host's interfaces. */
  private static boolean onOurNetwork(InetAddress ip) {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) continue;
        for (InterfaceAddress a : nic.getInterfaceAddresses()) {
          if (sameSubnet(a.getAddress(), ip, a.getNetworkPrefixLength())) return true;
        }
      }
    } catch (SocketException e) {
      return false;
    }
    return false;
  }

  private static boolean sameSubnet(InetAddress ours, InetAddress ip, int prefixLength) {
    byte[] a = ours.getAddress();
    byte[] b = ip.getAddress();
    if (a.length != b.length || prefixLength <= 0) return false;
    for (int bit = 0; bit < prefixLength; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
    }
    return true;
  }
}
