package dev.p2pchat.upnp;

/**
 * The three ways to ask a home router for a port mapping, in the order {@link PortMapper}
 * prefers them when several answer: PCP, then NAT-PMP (one UDP round trip each; PCP's nonce
 * makes its answer hard to forge), then UPnP IGD (a search, a description and SOAP over HTTP).
 */
public enum MappingProtocol {
  /** Port Control Protocol, RFC 6887. */
  PCP("PCP"),
  /** NAT Port Mapping Protocol, RFC 6886. */
  NAT_PMP("NAT-PMP"),
  /** UPnP Internet Gateway Device. */
  UPNP("UPnP");

  private final String displayName;

  MappingProtocol(String displayName) {
    this.displayName = displayName;
  }

  /** How people spell it: {@code PCP}, {@code NAT-PMP}, {@code UPnP}. */
  @Override
  public String toString() {
    return displayName;
  }
}
