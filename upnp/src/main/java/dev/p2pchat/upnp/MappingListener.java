package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Hears what happens to a {@link PortMapping} after it was opened. Called on the mapping's
 * background thread; keep the work short. All methods do nothing by default.
 */
public interface MappingListener {
  /** The lease was renewed. */
  default void renewed(PortMapping m) {}

  /** A check found the mapping still on the router. */
  default void checked(PortMapping m) {}

  /** The router had forgotten the mapping (e.g. it rebooted) and it was added again. */
  default void restored(PortMapping m) {}

  /**
   * The external port was found mapped to someone else — another host, another port, a
   * hand-made forward — which is not a router restart: theirs is left alone, and the mapping
   * moved to another external port, reported by {@link #externalAddressChanged} just after.
   */
  default void taken(PortMapping m, PortMappingEntry holder) {}

  /**
   * The address peers must use changed: the router's external address, or the external port
   * when the old one was taken while the router had forgotten us. An address the router does not
   * report is the wildcard address.
   */
  default void externalAddressChanged(PortMapping m, InetSocketAddress before, InetSocketAddress now) {}

  /** Renewing, checking or restoring failed; the mapping keeps trying at every check. */
  default void failed(PortMapping m, IOException why) {}
}
