package dev.p2pchat.upnp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** What a router's external address means for reachability from the internet. */
public enum AddressKind {
  /** A public address: a mapping makes us reachable from the internet. */
  PUBLIC("the router has a public address: peers on the internet can reach the mapped port"),
  /**
   * A private, shared (CGNAT), link-local or loopback address: there is another NAT upstream, so a
   * mapping on this router alone does not make us reachable from the internet.
   */
  PRIVATE("the router's external address is private (another NAT sits upstream, e.g. carrier-grade"
      + " NAT): the mapping only reaches hosts on that upstream network, not the internet"),
  /** No usable address: the router is not connected or reported nothing. */
  NONE("the router reports no external address: its internet connection is probably down");

  private final String explanation;

  AddressKind(String explanation) {
    this.explanation = explanation;
  }

  /** Classifies {@code a}; {@code null}, the wildcard and multicast addresses are {@link #NONE}. */
  public static AddressKind of(InetAddress a) {
    if (a == null || a.isAnyLocalAddress() || a.isMulticastAddress()) return NONE;
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()) return PRIVATE;
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0 || first >= 240) return NONE;
      if (first == 100 && (second & 0xc0) == 64) return PRIVATE; // 100.64.0.0/10 shared (CGNAT)
      if (first == 192 && second == 0 && b[2] == 0) return PRIVATE; // 192.0.0.0/24 IETF (DS-Lite)
      if (first == 198 && (second & 0xfe) == 18) return PRIVATE; // 198.18.0.0/15 benchmarking
      return PUBLIC;
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) return PRIVATE; // fc00::/7 unique local
    return PUBLIC;
  }

  /** One sentence for people saying what this kind means. */
  public String explanation() {
    return explanation;
  }
}
