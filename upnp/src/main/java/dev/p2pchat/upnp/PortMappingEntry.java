package dev.p2pchat.upnp;

/**
 * One port mapping, as sent to {@code AddPortMapping} or read back from the router.
 *
 * @param remoteHost the only remote host allowed to use the mapping; empty for any host
 * @param externalPort port on the router's external address (1–65535; 0 only as read from old routers)
 * @param protocol TCP or UDP
 * @param internalPort port on {@code internalClient}
 * @param internalClient the LAN host the router forwards to, as an IP literal
 * @param enabled whether the mapping is active
 * @param description free text shown by {@code upnpc -l}, e.g. {@code p2p-chat}
 * @param leaseSeconds lease duration in seconds; 0 means permanent
 */
public record PortMappingEntry(
    String remoteHost,
    int externalPort,
    Protocol protocol,
    int internalPort,
    String internalClient,
    boolean enabled,
    String description,
    int leaseSeconds) {

  /** Checks ports and lease, and treats missing texts as empty. */
  public PortMappingEntry {
    remoteHost = remoteHost == null ? "" : remoteHost;
    internalClient = internalClient == null ? "" : internalClient;
    description = description == null ? "" : description;
    if (protocol == null) throw new IllegalArgumentException("protocol is required");
    checkPort("externalPort", externalPort);
    checkPort("internalPort", internalPort);
    if (leaseSeconds < 0) throw new IllegalArgumentException("leaseSeconds < 0: " + leaseSeconds);
  }

  /** A request for an enabled mapping from any remote host. */
  public static PortMappingEntry of(
      Protocol protocol,
      int externalPort,
      String internalClient,
      int internalPort,
      String description,
      int leaseSeconds) {
    return new PortMappingEntry(
        "", externalPort, protocol, internalPort, internalClient, true, description, leaseSeconds);
  }

  /**
   * Whether this entry, read from the router, is the mapping {@code request} asks for: the same
   * protocol, internal client, internal port and description — only such a mapping may be
   * renewed, restored over or deleted by whoever asks for {@code request}, so nobody takes
   * another host's, another port's or a hand-made mapping. An empty description, or one cut
   * short, counts as the same: some routers keep none, or only the first bytes.
   */
  public boolean sameHolder(PortMappingEntry request) {
    return protocol == request.protocol && internalPort == request.internalPort
        && internalClient.equals(request.internalClient)
        && request.description.startsWith(description);
  }

  /** This entry with another external port. */
  public PortMappingEntry withExternalPort(int port) {
    return new PortMappingEntry(
        remoteHost, port, protocol, internalPort, internalClient, enabled, description, leaseSeconds);
  }

  /** This entry with another lease. */
  public PortMappingEntry withLeaseSeconds(int seconds) {
    return new PortMappingEntry(
        remoteHost, externalPort, protocol, internalPort, internalClient, enabled, description, seconds);
  }

  /** This entry restricted to another remote host ("" for any). */
  public PortMappingEntry withRemoteHost(String host) {
    return new PortMappingEntry(
        host, externalPort, protocol, internalPort, internalClient, enabled, description, leaseSeconds);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " out of range: " + port);
  }
}
