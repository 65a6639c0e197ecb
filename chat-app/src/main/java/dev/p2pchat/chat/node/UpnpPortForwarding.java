package dev.p2pchat.chat.node;

import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.upnp.AddressKind;
import dev.p2pchat.upnp.DurationText;
import dev.p2pchat.upnp.Gateway;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.MappingListener;
import dev.p2pchat.upnp.MappingOptions;
import dev.p2pchat.upnp.PortMapping;
import dev.p2pchat.upnp.Protocol;
import dev.p2pchat.upnp.SoapFaultException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the node's port with UPnP IGD: finds the router (or uses {@code --gateway}), maps the
 * port for as long as the node runs (the upnp module renews the lease and re-adds the mapping
 * after a router reboot) and reports a changed external address.
 */
public final class UpnpPortForwarding implements PortForwarding {
  private static final Logger log = LoggerFactory.getLogger(UpnpPortForwarding.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final GatewayFinder finder;
  private final URI gatewayUrl;
  private final Duration timeout;
  private final MappingOptions options;
  private volatile Gateway gateway;
  private volatile PortMapping mapping;
  private volatile String problem = "not tried yet";
  private volatile boolean closed;

  /**
   * @param gatewayUrl the router's description URL, or null to search for the router (trying
   *     first the one remembered from the last run, see {@link GatewayFinder#userCacheFile()})
   * @param description what the router's mapping table shows for our mapping
   */
  public UpnpPortForwarding(URI gatewayUrl, String description) {
    this(new GatewayFinder().timeout(TIMEOUT).remembered(GatewayFinder.userCacheFile()),
        gatewayUrl, TIMEOUT,
        MappingOptions.defaults().withDescription(description));
  }

  UpnpPortForwarding(GatewayFinder finder, URI gatewayUrl, Duration timeout, MappingOptions options) {
    this.finder = finder;
    this.gatewayUrl = gatewayUrl;
    this.timeout = timeout;
    this.options = options;
  }

  @Override
  public Optional<InetSocketAddress> open(
      int localPort, int externalPort, ChatView view, Consumer<InetSocketAddress> addressChanged) {
    Optional<Gateway> found = findGateway(view);
    if (found.isEmpty()) return Optional.empty();
    Gateway g = found.get();
    gateway = g;
    view.show(Notice.success("found " + g.friendlyName() + " at " + g.location().getHost()));

    PortMapping m;
    try {
      m = PortMapping.open(g, Protocol.TCP, localPort, externalPort, options,
          new Listener(view, addressChanged));
    } catch (SoapFaultException e) {
      return failed(view, "the router refused to forward the port: error " + e.errorCode() + " "
          + e.errorDescription());
    } catch (IOException e) {
      return failed(view, "could not forward the port: " + e.getMessage());
    }
    mapping = m;
    if (closed) { // the node quit while we were talking to the router
      m.close();
      return Optional.empty();
    }
    view.show(Notice.success("mapped TCP " + m.externalPort() + " → "
        + Addresses.format(g.localAddress(), localPort)));
    InetAddress external = m.externalAddress();
    switch (m.addressKind()) {
      case PUBLIC:
        return Optional.of(new InetSocketAddress(external, m.externalPort()));
      case PRIVATE:
        view.show(Notice.warning("double NAT: the router's external address " + external.getHostAddress()
            + " is itself private, so this address may not be reachable from the internet"));
        return Optional.of(new InetSocketAddress(external, m.externalPort()));
      default:
        return failed(view, AddressKind.NONE.explanation());
    }
  }

  private Optional<Gateway> findGateway(ChatView view) {
    if (gatewayUrl != null) {
      view.show(Notice.info("Asking the router at " + gatewayUrl + "…"));
      try {
        return Optional.of(GatewayFinder.atLocation(gatewayUrl, timeout));
      } catch (IOException e) {
        return failed(view, e.getMessage() + " — is UPnP switched on in the router?");
      }
    }
    view.show(Notice.info("Searching for your router…"));
    try {
      // the search's own message already says what was heard and what to check
      return Optional.of(finder.findOrThrow());
    } catch (IOException e) {
      return failed(view, e.getMessage());
    }
  }

  private <T> Optional<T> failed(ChatView view, String why) {
    problem = why;
    log.warn("port forwarding: {}", why);
    view.show(Notice.error(why));
    return Optional.empty();
  }

  @Override
  public Optional<InetAddress> lanAddress() {
    Gateway g = gateway;
    return g == null ? Optional.empty() : Optional.of(g.localAddress());
  }

  @Override
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    Gateway g = gateway;
    lines.add("router: " + (g == null ? "none" : g.friendlyName() + " at " + g.location()));
    PortMapping m = mapping;
    if (m == null) {
      lines.add("port mapping: none (" + problem + ")");
      return lines;
    }
    Duration left = m.leaseRemaining();
    lines.add("port mapping: TCP " + m.externalPort() + " → "
        + Addresses.format(m.gateway().localAddress(), m.internalPort()) + ", "
        + (m.permanent() ? "permanent" : "lease left " + DurationText.human(left)));
    InetAddress external = m.externalAddress();
    lines.add("external address: " + (external == null ? "unknown" : external.getHostAddress()));
    lines.add("NAT: " + m.addressKind().name().toLowerCase(java.util.Locale.ROOT) + " — "
        + m.addressKind().explanation());
    return lines;
  }

  @Override
  public void close() {
    closed = true;
    PortMapping m = mapping;
    if (m != null) m.close();
  }

  /** Tells the user (and, through the node, the peers) what happens to the mapping later. */
  private final class Listener implements MappingListener {
    private final ChatView view;
    private final Consumer<InetSocketAddress> addressChanged;
    private volatile boolean failing;

    Listener(ChatView view, Consumer<InetSocketAddress> addressChanged) {
      this.view = view;
      this.addressChanged = addressChanged;
    }

    @Override
    public void renewed(PortMapping m) {
      log.debug("lease renewed: {}", m);
      recovered();
    }

    @Override
    public void restored(PortMapping m) {
      view.show(Notice.success("the router had forgotten the port mapping (did it restart?); "
          + "mapped TCP " + m.externalPort() + " again"));
      recovered();
    }

    @Override
    public void externalAddressChanged(PortMapping m, InetSocketAddress before, InetSocketAddress now) {
      if (now.getAddress() == null || now.getAddress().isAnyLocalAddress()) {
        view.show(Notice.warning("the router no longer reports an external address"));
        return;
      }
      if (m.addressKind() == AddressKind.PRIVATE) {
        view.show(Notice.warning("double NAT: the new external address is private"));
      }
      addressChanged.accept(now);
    }

    @Override
    public void failed(PortMapping m, IOException why) {
      if (!failing) {
        failing = true;
        view.show(Notice.warning("the port mapping is in trouble: " + why.getMessage() + " (retrying)"));
      }
    }

    private void recovered() {
      failing = false;
    }
  }
}
