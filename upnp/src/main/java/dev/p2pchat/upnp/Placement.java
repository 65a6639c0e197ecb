package dev.p2pchat.upnp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a mapping landed, and the negotiation that put it there. A port mapped to anyone else
 * (another host, another internal port, a hand-made forward) is left alone: each port is checked
 * with GetSpecificPortMappingEntry before it is asked for, because miniupnpd lets a host replace
 * any mapping to its own address (upnpredirect.c), so two nodes on one machine would take a port
 * from each other. Other refusals are worked around: the port is taken anyway (718:
 * AddAnyPortMapping on IGD v2, else other ports), only permanent leases (725: lease 0), or equal
 * ports required (724: external = internal).
 *
 * @param externalPort the external port the router accepted
 * @param leaseSeconds the lease the router accepted; 0 is permanent
 * @param holder who held the port asked for, when someone else did; else null
 */
record Placement(int externalPort, int leaseSeconds, PortMappingEntry holder) {
  private static final Logger log = LoggerFactory.getLogger(Placement.class);
  /** Ports tried after a conflict, besides the preferred one. */
  private static final int MAX_CONFLICTS = 6;
  private static final int SEQUENTIAL_TRIES = 3;

  /**
   * Adds a mapping of {@code internalPort} on our LAN address, preferring {@code external}.
   *
   * @throws UpnpException when every workaround failed; the message says what was tried
   */
  static Placement add(Gateway gateway, Protocol protocol, int internalPort, int external,
      String description, int leaseSeconds) throws IOException {
    String client = gateway.localAddress().getHostAddress();
    List<Integer> taken = new ArrayList<>();
    PortMappingEntry holder = null;
    boolean useAny = false;
    boolean samePortRequired = false;
    boolean replacedOurOwn = false;
    int lease = leaseSeconds;
    while (true) {
      PortMappingEntry request =
          PortMappingEntry.of(protocol, external, client, internalPort, description, lease);
      Optional<PortMappingEntry> held = useAny ? Optional.empty()
          : entryIfAny(gateway, external, protocol);
      if (held.isPresent() && !held.get().sameHolder(request)) {
        PortMappingEntry other = held.get();
        if (taken.isEmpty()) holder = other;
        log.info("external {} port {} is mapped to {}:{} ({}); leaving it alone", protocol,
            external, other.internalClient(), other.internalPort(), other.description());
        taken.add(external);
        checkNotGivingUp(gateway, protocol, taken, samePortRequired, null);
        external = nextCandidate(taken); // not AddAnyPortMapping: miniupnpd's may replace ours
        continue;
      }
      try {
        if (useAny) return new Placement(gateway.addAnyPortMapping(request), lease, holder);
        gateway.addPortMapping(request);
        return new Placement(external, lease, holder);
      } catch (SoapFaultException e) {
        switch (e.errorCode()) {
          case SoapFaultException.ONLY_PERMANENT_LEASES_SUPPORTED -> {
            if (lease == 0) throw e;
            log.info("{}; asking for a permanent mapping, deleted again on close", e.getMessage());
            lease = 0;
          }
          case SoapFaultException.SAME_PORT_VALUES_REQUIRED -> {
            if (samePortRequired) throw e;
            log.info("{}; asking for external port {} = internal port", e.getMessage(), internalPort);
            samePortRequired = true;
            external = internalPort;
          }
          case SoapFaultException.CONFLICT_IN_MAPPING_ENTRY -> {
            if (held.isPresent() && !replacedOurOwn) {
              // some routers refuse to update an existing mapping, even the same client's
              log.info("external {} port {} is already ours; replacing it", protocol, external);
              replacedOurOwn = true;
              gateway.deletePortMapping(external, protocol);
              continue;
            }
            taken.add(external);
            checkNotGivingUp(gateway, protocol, taken, samePortRequired, e);
            if (!useAny && gateway.supportsAddAnyPortMapping()) {
              useAny = true; // the router picks a free port, with ours as a hint
            } else {
              useAny = false;
              external = nextCandidate(taken);
            }
            log.info("external {} port {} is taken; trying {}", protocol, taken.get(taken.size() - 1),
                useAny ? "AddAnyPortMapping" : "port " + external);
          }
          default -> throw e;
        }
      }
    }
  }

  /** The router's entry for the port; empty, too, when the router won't say (718 still guards). */
  private static Optional<PortMappingEntry> entryIfAny(Gateway gateway, int external,
      Protocol protocol) throws IOException {
    try {
      return gateway.specificPortMappingEntry(external, protocol);
    } catch (SoapFaultException e) {
      log.info("cannot see who holds external {} port {} ({}); asking for it all the same",
          protocol, external, e.getMessage());
      return Optional.empty();
    }
  }

  private static void checkNotGivingUp(Gateway gateway, Protocol protocol, List<Integer> taken,
      boolean samePortRequired, SoapFaultException cause) throws UpnpException {
    if (!samePortRequired && taken.size() <= MAX_CONFLICTS) return;
    throw new UpnpException("router at " + Http.hostAndPort(gateway.location())
        + " has external " + protocol + " port" + (taken.size() > 1 ? "s " : " ")
        + taken + " mapped to other hosts"
        + (samePortRequired ? " and requires external port = internal port" : "")
        + "; giving up", cause);
  }

  /** A few ports after the first one tried, then random unprivileged ones. */
  private static int nextCandidate(List<Integer> taken) {
    int first = taken.get(0);
    if (taken.size() <= SEQUENTIAL_TRIES && first + taken.size() <= 65535) return first + taken.size();
    int port;
    do {
      port = ThreadLocalRandom.current().nextInt(1024, 65536);
    } while (taken.contains(port));
    return port;
  }
}
