package dev.p2pchat.upnp.natpmp;

import dev.p2pchat.upnp.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/** What NAT-PMP and PCP clients share: ask the epoch, map a port, delete a mapping. */
public interface MappingClient {
  /** The router's port-mapping server, its LAN address and port 5351. */
  InetSocketAddress server();

  /** This client with another bound on each exchange, retransmissions included. */
  MappingClient timeout(Duration t);

  /** The router's epoch: a cheap request that shows the protocol is there and whether it rebooted. */
  long epoch() throws IOException;

  /**
   * Maps {@code internalPort} on this host, suggesting {@code suggestedExternalPort} (0: let the
   * router choose), for {@code lifetimeSeconds} (at least 1). Asking again renews.
   */
  MapAnswer map(Protocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
      throws IOException;

  /** Deletes the mapping of {@code internalPort} (a MAP with lifetime 0). */
  void delete(Protocol protocol, int internalPort) throws IOException;
}
