package dev.p2pchat.upnp;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A port mapping a router granted, whichever protocol asked.
 *
 * @param protocol how it was asked for
 * @param router the router that holds it, for people: its address, and its name when UPnP gave one
 * @param externalAddress the router's external address; null when it reports none
 * @param externalPort the port on the external address that reaches us
 * @param internalAddress our address as the router sees it
 * @param internalPort the port on our host the router forwards to
 * @param leaseSeconds the lease granted; 0 for a permanent mapping (UPnP only)
 */
public record Mapping(MappingProtocol protocol, String router, InetAddress externalAddress,
    int externalPort, InetAddress internalAddress, int internalPort, long leaseSeconds) {

  /** The address peers dial; the wildcard address when the router reports none. */
  public InetSocketAddress external() {
    return externalAddress == null ? new InetSocketAddress(externalPort)
        : new InetSocketAddress(externalAddress, externalPort);
  }

  /** Whether the external address makes us reachable from the internet. */
  public AddressKind addressKind() {
    return AddressKind.of(externalAddress);
  }

  /** E.g. {@code TCP 5.6.7.1:4000 → 192.168.1.10:4000 via PCP}. */
  @Override
  public String toString() {
    return "TCP " + (externalAddress == null ? "(no external address)" : externalAddress.getHostAddress())
        + ":" + externalPort + " → " + internalAddress.getHostAddress() + ":" + internalPort
        + " via " + protocol;
  }
}
