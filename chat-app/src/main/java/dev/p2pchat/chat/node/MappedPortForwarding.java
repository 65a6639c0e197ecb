package dev.p2pchat.chat.node;

import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.upnp.AddressKind;
import dev.p2pchat.upnp.DurationText;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.MappedPort;
import dev.p2pchat.upnp.Mapping;
import dev.p2pchat.upnp.MappingOptions;
import dev.p2pchat.upnp.MappingProtocol;
import dev.p2pchat.upnp.PortMapper;
import dev.p2pchat.upnp.ProbeResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the node's port with whatever the router speaks — PCP, NAT-PMP or UPnP, asked at once
 * by the upnp module's {@link PortMapper} — for as long as the node runs. Start-up waits up to
 * 3 s for a mapping; a router that answers later, or whose mapping service comes back, is still
 * used: the mapping is shown then, and the node shares the new address and tells its peers.
 */
public final class MappedPortForwarding implements PortForwarding {
  private static final Logger log = LoggerFactory.getLogger(MappedPortForwarding.class);
  /** How long start-up waits for a mapping before going on without one (it keeps looking). */
  static final Duration FIRST_WAIT = Duration.ofSeconds(3);
  /** What any device on the LAN can read in the router's table: never the nick. */
  static final String DESCRIPTION = "p2p-chat";
  static final Duration LEASE = Duration.ofHours(2);

  private final PortMapper mapper;
  private final URI gatewayUrl;
  private final Duration firstWait;
  private final Object lock = new Object();
  private volatile MappedPort port;
  private ChatView view; // guarded by lock, as are the three below
  private Consumer<InetSocketAddress> addressChanged;
  private boolean opened;
  private Mapping shown; // the mapping whose address the node was last given

  /**
   * @param gatewayUrl the UPnP router's description URL given with {@code --gateway} (then only
   *     UPnP is asked, of that router), or null to ask all three protocols of this host's router
   *     (trying first the UPnP router remembered from the last run)
   */
  public MappedPortForwarding(URI gatewayUrl) {
    this(remembering(gatewayUrl == null
            ? PortMapper.forThisHost(new GatewayFinder().remembered(GatewayFinder.userCacheFile()))
            : PortMapper.forThisHost().via(MappingProtocol.UPNP).upnpAt(gatewayUrl)),
        gatewayUrl, FIRST_WAIT);
  }

  /** Last run's external port is asked for again, and its leftover mappings cleared. */
  private static PortMapper remembering(PortMapper mapper) {
    return mapper.options(mapper.options().remembered(MappingOptions.userCacheFile()));
  }

  /** With {@code mapper} as it is but for the description and lease. */
  MappedPortForwarding(PortMapper mapper, URI gatewayUrl, Duration firstWait) {
    this.mapper = mapper.options(mapper.options().withDescription(DESCRIPTION).withLease(LEASE));
    this.gatewayUrl = gatewayUrl;
    this.firstWait = firstWait;
  }

  @Override
  public Optional<InetSocketAddress> open(
      int localPort, int externalPort, ChatView view, Consumer<InetSocketAddress> addressChanged) {
    synchronized (lock) {
      this.view = view;
      this.addressChanged = addressChanged;
    }
    MappedPort p = mapper.start(localPort, externalPort, new Listener());
    port = p;
    view.show(Notice.info(gatewayUrl != null ? "Asking the router at " + gatewayUrl + "…"
        : "Looking for your router (" + names(p.protocols(), ", ") + ")…"));
    p.awaitMapping(firstWait);
    Optional<Mapping> first;
    synchronized (lock) { // a mapping made from now on is the listener's to show
      opened = true;
      first = p.current();
      shown = first.orElse(null);
    }
    if (first.isEmpty()) {
      MappedPort.Status s = p.status();
      String why = s.looking()
          ? "no answer from your router yet (" + names(p.protocols(), ", ") + ")"
          : s.problem().orElse("no port mapping");
      view.show(Notice.error(why + " — still trying in the background; the address to share"
          + " will be shown when the router answers"));
      return Optional.empty();
    }
    return shareable(first.get(), view);
  }

  private static String names(List<MappingProtocol> protocols, String separator) {
    return protocols.stream().map(MappingProtocol::toString).collect(Collectors.joining(separator));
  }

  /** Shows the mapping; the address to share, or empty when the router has none to give. */
  private static Optional<InetSocketAddress> shareable(Mapping m, ChatView view) {
    view.show(Notice.success("mapped TCP " + m.externalPort() + " → "
        + Addresses.format(m.internalAddress(), m.internalPort()) + " with " + m.protocol()
        + " (router " + m.router() + ")"));
    switch (m.addressKind()) {
      case PUBLIC:
        return Optional.of(m.external());
      case PRIVATE:
        view.show(Notice.warning("double NAT: the router's external address "
            + m.externalAddress().getHostAddress() + " is itself private, so this address may"
            + " not be reachable from the internet"));
        return Optional.of(m.external());
      default:
        view.show(Notice.error(AddressKind.NONE.explanation()));
        return Optional.empty();
    }
  }

  @Override
  public Optional<InetAddress> lanAddress() {
    MappedPort p = port;
    return p == null ? Optional.empty() : p.current().map(Mapping::internalAddress);
  }

  @Override
  public List<String> status() {
    MappedPort p = port;
    if (p == null) return List.of("port mapping: not asked yet");
    MappedPort.Status s = p.status();
    List<String> lines = new ArrayList<>();
    if (s.mapping().isPresent()) {
      Mapping m = s.mapping().get();
      String what = "port mapping: TCP " + Addresses.format(m.external()) + " → "
          + Addresses.format(m.internalAddress(), m.internalPort()) + " with " + m.protocol();
      if (s.troubleSince().isPresent()) {
        lines.add(what + " — not confirmed since " + clock(s.troubleSince().get()) + " ("
            + s.problem().orElse("no answer") + "); asking the router again");
      } else {
        lines.add(what + ", checked " + ago(s.checked().orElse(Instant.now())) + ", "
            + (m.leaseSeconds() == 0 ? "permanent" : "lease " + DurationText.human(
                Duration.ofSeconds(m.leaseSeconds()))));
      }
      lines.add("router: " + m.router());
      lines.add("external address: " + (m.externalAddress() == null ? "unknown"
          : m.externalAddress().getHostAddress()));
      lines.add("NAT: " + m.addressKind().name().toLowerCase(Locale.ROOT) + " — "
          + m.addressKind().explanation());
      return lines;
    }
    String next = s.looking() ? "asking " + names(p.protocols(), ", ") + " now"
        : s.nextAttempt().map(t -> "asking again in " + DurationText.human(
            Duration.between(Instant.now(), t).truncatedTo(ChronoUnit.SECONDS))).orElse("");
    lines.add("port mapping: none (" + s.problem().orElse("not found yet") + "); " + next);
    for (ProbeResult r : s.probes()) lines.add("  " + r);
    return lines;
  }

  private static String ago(Instant t) {
    return DurationText.human(Duration.between(t, Instant.now()).truncatedTo(ChronoUnit.SECONDS)) + " ago";
  }

  private static String clock(Instant t) {
    return LocalTime.ofInstant(t, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public void close() {
    MappedPort p = port;
    if (p != null) p.close();
  }

  /** Tells the user (and, through the node, the peers) what happens to the mapping later. */
  private final class Listener implements MappedPort.Listener {
    @Override
    public void mapped(Mapping m) {
      share(m, true);
    }

    @Override
    public void restored(Mapping m) {
      view().show(Notice.success("the router had forgotten the port mapping (did it restart?); "
          + "mapped TCP " + m.externalPort() + " again with " + m.protocol()));
      share(m, false);
    }

    @Override
    public void changed(Mapping before, Mapping now) {
      if (now.externalAddress() == null) {
        view().show(Notice.warning("the router no longer reports an external address"));
        return;
      }
      share(now, false);
    }

    @Override
    public void lost(Mapping last, String why) {
      view().show(Notice.warning("the port mapping is in trouble: " + why
          + " (asking the router again)"));
    }

    /**
     * Gives the node {@code m}'s address if it is not the one it has, showing the mapping first
     * if {@code show} (a mapping found late).
     */
    private void share(Mapping m, boolean show) {
      ChatView v;
      Consumer<InetSocketAddress> changed;
      synchronized (lock) {
        if (!opened || m.equals(shown)) return; // open() shows the first one itself
        boolean sameAddress = shown != null && shown.external().equals(m.external());
        shown = m;
        if (sameAddress) return;
        v = view;
        changed = addressChanged;
      }
      log.info("port mapping now {}", m);
      if (show) {
        Optional<InetSocketAddress> address = shareable(m, v);
        address.ifPresent(changed);
        return;
      }
      if (m.addressKind() != AddressKind.NONE) changed.accept(m.external());
    }

    private ChatView view() {
      synchronized (lock) {
        return view;
      }
    }
  }
}
