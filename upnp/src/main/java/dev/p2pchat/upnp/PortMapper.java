package dev.p2pchat.upnp;

import dev.p2pchat.upnp.natpmp.MappingClient;
import dev.p2pchat.upnp.natpmp.NatPmpClient;
import dev.p2pchat.upnp.natpmp.PcpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a TCP port with whatever the home router speaks: UPnP IGD, NAT-PMP or PCP, asked all
 * at once, like Tailscale's portmapper. Immutable and configured like {@link GatewayFinder};
 * {@link #start} returns a {@link MappedPort} that keeps the mapping — or keeps looking for one.
 *
 * <p>Preference: each protocol is first asked something cheap (PCP: ANNOUNCE; NAT-PMP: the
 * external address; UPnP: the search and the router's description). The most preferred protocol
 * that answered then maps the port — PCP, then NAT-PMP, then UPnP ({@link MappingProtocol}) —
 * and if the router refuses, the next one that answered. A less preferred protocol that answered
 * waits for a more preferred one still being asked, but only until 250 ms after the start (one
 * NAT-PMP retransmission interval: on a LAN the router answers in a millisecond or not at all).
 *
 * <pre>{@code
 * try (MappedPort port = PortMapper.forThisHost().start(4000, 4000, new MappedPort.Listener() {})) {
 *   port.awaitMapping(Duration.ofSeconds(3)).ifPresent(m -> System.out.println(m.external()));
 * }
 * }</pre>
 */
public final class PortMapper {
  private static final Logger log = LoggerFactory.getLogger(PortMapper.class);
  static final Duration GRACE = Duration.ofMillis(250);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final InetSocketAddress portControl;
  private final GatewayFinder finder;
  private final URI upnpLocation;
  private final Set<MappingProtocol> via;
  private final MappingOptions options;
  private final Duration timeout;
  private final Duration firstRetry;
  private final Duration maxRetry;
  /** Whether router announcements are heard (not for a router on loopback, unless given). */
  private final boolean listen;
  /** Whether the two addresses below were given (tests): then null means "not heard". */
  private final boolean announcementsGiven;
  private final InetSocketAddress pcpAnnouncements;
  private final InetSocketAddress ssdpAnnouncements;

  private PortMapper(InetSocketAddress portControl, GatewayFinder finder, URI upnpLocation,
      Set<MappingProtocol> via, MappingOptions options, Duration timeout, Duration firstRetry,
      Duration maxRetry, boolean listen, boolean announcementsGiven,
      InetSocketAddress pcpAnnouncements, InetSocketAddress ssdpAnnouncements) {
    this.portControl = portControl;
    this.finder = finder;
    this.upnpLocation = upnpLocation;
    this.via = via;
    this.options = options;
    this.timeout = timeout;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
    this.listen = listen;
    this.announcementsGiven = announcementsGiven;
    this.pcpAnnouncements = pcpAnnouncements;
    this.ssdpAnnouncements = ssdpAnnouncements;
  }

  /**
   * For this host's router: NAT-PMP and PCP at the default gateway's port 5351
   * ({@link DefaultGateway}; where there is none, UPnP only), UPnP by SSDP multicast. Listens
   * for the router's announcements on the LAN.
   */
  public static PortMapper forThisHost() {
    return forThisHost(new GatewayFinder());
  }

  /** As {@link #forThisHost()}, with UPnP routers found by {@code finder}, told the default gateway. */
  public static PortMapper forThisHost(GatewayFinder finder) {
    Optional<InetAddress> gateway = DefaultGateway.ipv4();
    InetSocketAddress server =
        gateway.map(a -> new InetSocketAddress(a, NatPmpClient.PORT)).orElse(null);
    return using(server, gateway.map(finder::defaultGateway).orElse(finder));
  }

  /**
   * NAT-PMP and PCP asked at {@code portControl} (null: not asked), UPnP routers found by
   * {@code finder}. Router announcements are heard only for a router off loopback, so that
   * tests with fakes join no multicast group.
   */
  public static PortMapper using(InetSocketAddress portControl, GatewayFinder finder) {
    boolean listen = portControl == null || !portControl.getAddress().isLoopbackAddress();
    return new PortMapper(portControl, Objects.requireNonNull(finder, "finder"), null,
        EnumSet.allOf(MappingProtocol.class),
        MappingOptions.defaults().withLease(Duration.ofHours(2)), DEFAULT_TIMEOUT,
        Duration.ofSeconds(2), Duration.ofMinutes(1), listen, false, null, null);
  }

  /** Finds UPnP routers with {@code f} (e.g. one that remembers the last router). */
  public PortMapper upnp(GatewayFinder f) {
    return new PortMapper(portControl, Objects.requireNonNull(f, "finder"), upnpLocation, via,
        options, timeout, firstRetry, maxRetry, listen, announcementsGiven, pcpAnnouncements, ssdpAnnouncements);
  }

  /** Asks UPnP of the router whose description is at {@code location}, skipping the search. */
  public PortMapper upnpAt(URI location) {
    return new PortMapper(portControl, finder, location, via, options, timeout, firstRetry,
        maxRetry, listen, announcementsGiven, pcpAnnouncements, ssdpAnnouncements);
  }

  /** Tries only these protocols (at least one). */
  public PortMapper via(MappingProtocol... protocols) {
    if (protocols.length == 0) throw new IllegalArgumentException("no protocol to try");
    return new PortMapper(portControl, finder, upnpLocation, EnumSet.copyOf(Arrays.asList(protocols)),
        options, timeout, firstRetry, maxRetry, listen, announcementsGiven, pcpAnnouncements, ssdpAnnouncements);
  }

  /** The description, lease (2 h unless set) and check interval (30 s) of the mapping. */
  public PortMapper options(MappingOptions o) {
    return new PortMapper(portControl, finder, upnpLocation, via, Objects.requireNonNull(o),
        timeout, firstRetry, maxRetry, listen, announcementsGiven, pcpAnnouncements, ssdpAnnouncements);
  }

  /**
   * How long one attempt asks each protocol (10 s unless set): longer than a caller waits for
   * the first answer, so that a slow router still maps, just later.
   */
  public PortMapper timeout(Duration t) {
    if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be > 0: " + t);
    return new PortMapper(portControl, finder, upnpLocation, via, options, t, firstRetry,
        maxRetry, listen, announcementsGiven, pcpAnnouncements, ssdpAnnouncements);
  }

  /** After a failed attempt, the next comes after {@code first}, doubling up to {@code max}. */
  public PortMapper retry(Duration first, Duration max) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("retry must be 0 < first <= max: " + first + ", " + max);
    }
    return new PortMapper(portControl, finder, upnpLocation, via, options, timeout, first, max,
        listen, announcementsGiven, pcpAnnouncements, ssdpAnnouncements);
  }

  /** For tests: hear PCP/NAT-PMP and SSDP announcements on these unicast addresses (null: not). */
  PortMapper announcements(InetSocketAddress pcp, InetSocketAddress ssdp) {
    return new PortMapper(portControl, finder, upnpLocation, via, options, timeout, firstRetry,
        maxRetry, true, true, pcp, ssdp);
  }

  Set<MappingProtocol> via() {
    return via;
  }

  /** The description, lease and check interval of the mapping. */
  public MappingOptions options() {
    return options;
  }

  Duration firstRetry() {
    return firstRetry;
  }

  Duration maxRetry() {
    return maxRetry;
  }

  /** Where NAT-PMP and PCP are asked; null when nowhere (no default gateway). */
  public InetSocketAddress portControlServer() {
    return portControl;
  }

  /** Where PCP/NAT-PMP announcements are heard; null for nowhere. */
  InetSocketAddress pcpAnnouncements() {
    if (!listen || portControl == null) return null;
    return announcementsGiven ? pcpAnnouncements : PortControlAnnouncements.MULTICAST;
  }

  /** Where SSDP announcements are heard; null for nowhere. */
  InetSocketAddress ssdpAnnouncements() {
    if (!listen || portControl == null) return null;
    return announcementsGiven ? ssdpAnnouncements : GatewayFinder.SSDP_MULTICAST;
  }

  /**
   * Starts mapping TCP {@code internalPort} (external port {@code preferredExternalPort}, 0: the
   * same) in the background. Never fails for the network's sake: the returned port keeps
   * looking until closed, telling {@code listener} what happens.
   */
  public MappedPort start(int internalPort, int preferredExternalPort, MappedPort.Listener listener) {
    if (internalPort < 1 || internalPort > 65535) {
      throw new IllegalArgumentException("internal port out of range: " + internalPort);
    }
    if (preferredExternalPort < 0 || preferredExternalPort > 65535) {
      throw new IllegalArgumentException("external port out of range: " + preferredExternalPort);
    }
    return MappedPort.start(this, internalPort,
        preferredExternalPort == 0 ? internalPort : preferredExternalPort, listener);
  }

  /** Asks each protocol once, in parallel, whether the router speaks it; maps nothing. */
  public List<ProbeResult> probe() {
    long start = System.nanoTime();
    Map<MappingProtocol, CompletableFuture<Probe>> probes = startProbes(start);
    return probes.values().stream().map(f -> f.join().result).collect(Collectors.toList());
  }

  /** One protocol's answer; for UPnP, the gateway found. */
  private record Probe(ProbeResult result, Gateway gateway) {}

  private Map<MappingProtocol, CompletableFuture<Probe>> startProbes(long start) {
    Map<MappingProtocol, CompletableFuture<Probe>> probes = new EnumMap<>(MappingProtocol.class);
    for (MappingProtocol p : via) {
      probes.put(p, CompletableFuture.supplyAsync(() -> probe(p, start), Background.POOL));
    }
    return probes;
  }

  private Probe probe(MappingProtocol protocol, long start) {
    try {
      switch (protocol) {
        case PCP:
          return answered(protocol, start, "epoch " + pcp(portControlOrThrow()).epoch() + " s", null);
        case NAT_PMP:
          NatPmpClient.ExternalAddress a = pmp(portControlOrThrow()).externalAddress();
          return answered(protocol, start, "external address " + a.address().getHostAddress(), null);
        default:
          Gateway g = upnpLocation != null ? GatewayFinder.atLocation(upnpLocation, timeout)
              : finder.timeout(timeout).findOrThrow();
          return answered(protocol, start, g.friendlyName() + " at " + g.location().getHost(), g);
      }
    } catch (IOException e) {
      return new Probe(new ProbeResult(protocol, false, since(start), e.getMessage()), null);
    } catch (RuntimeException e) {
      return new Probe(new ProbeResult(protocol, false, since(start), e.toString()), null);
    }
  }

  private static Probe answered(MappingProtocol p, long start, String detail, Gateway g) {
    return new Probe(new ProbeResult(p, true, since(start), detail), g);
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private InetSocketAddress portControlOrThrow() throws IOException {
    if (portControl == null) {
      throw new IOException("no default gateway known to ask (this system's routing table"
          + " could not be read)");
    }
    return portControl;
  }

  private PcpClient pcp(InetSocketAddress server) {
    return new PcpClient(server).timeout(timeout);
  }

  private NatPmpClient pmp(InetSocketAddress server) {
    return new NatPmpClient(server).timeout(timeout);
  }

  /** What one attempt came to: a held mapping, or why none, and how each protocol answered. */
  record Attempt(HeldMapping held, String problem, List<ProbeResult> probes) {}

  /**
   * Asks all protocols, maps with the preferred one that answered (see the class comment),
   * reporting that mapping's later events to {@code events}. Takes up to the timeout.
   */
  Attempt attempt(int internalPort, int externalPort, HeldMapping.Events events,
      ScheduledExecutorService scheduler) {
    long start = System.nanoTime();
    log.debug("asking {} (NAT-PMP and PCP at {})", via, portControl == null ? "no gateway"
        : portControl.getAddress().getHostAddress() + ":" + portControl.getPort());
    Map<MappingProtocol, CompletableFuture<Probe>> probes = startProbes(start);
    Set<MappingProtocol> tried = EnumSet.noneOf(MappingProtocol.class);
    List<String> refusals = new ArrayList<>();
    while (true) {
      MappingProtocol candidate = null;
      boolean preferredPending = false;
      for (MappingProtocol p : via) { // in order of preference
        CompletableFuture<Probe> f = probes.get(p);
        if (!f.isDone()) {
          preferredPending = true;
        } else if (f.join().result.answered() && tried.add(p)) {
          candidate = p;
          break;
        }
      }
      long elapsed = System.nanoTime() - start;
      if (candidate != null && preferredPending && elapsed < GRACE.toNanos()) {
        tried.remove(candidate); // decide once the grace is over or a preferred one answered
        awaitAny(probes, GRACE.toNanos() - elapsed);
        continue;
      }
      if (candidate != null) {
        try {
          log.debug("mapping with {}, the most preferred that answered, after {} µs", candidate,
              (System.nanoTime() - start) / 1000);
          HeldMapping held = map(candidate, probes.get(candidate).join(), internalPort,
              externalPort, events, scheduler);
          return new Attempt(held, null, results(probes, start));
        } catch (IOException e) {
          refusals.add(e.getMessage());
          continue;
        }
      }
      if (!preferredPending) return new Attempt(null, problem(probes, refusals), results(probes, start));
      awaitAny(probes, timeout.toNanos() + TimeUnit.SECONDS.toNanos(1));
    }
  }

  private HeldMapping map(MappingProtocol protocol, Probe probe, int internalPort, int externalPort,
      HeldMapping.Events events, ScheduledExecutorService scheduler) throws IOException {
    MappingClient client;
    switch (protocol) {
      case PCP:
        client = pcp(portControl);
        break;
      case NAT_PMP:
        client = pmp(portControl);
        break;
      default:
        return UpnpHeldMapping.open(probe.gateway, internalPort, externalPort,
            options, events);
    }
    return UdpHeldMapping.open(protocol, client, internalPort, externalPort, options, events,
        scheduler);
  }

  private static void awaitAny(Map<MappingProtocol, CompletableFuture<Probe>> probes, long nanos) {
    CompletableFuture<?>[] pending = probes.values().stream().filter(f -> !f.isDone())
        .toArray(CompletableFuture[]::new);
    if (pending.length == 0 || nanos <= 0) return;
    try {
      CompletableFuture.anyOf(pending).get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // look again at what is done
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while mapping", e);
    }
  }

  private static List<ProbeResult> results(Map<MappingProtocol, CompletableFuture<Probe>> probes,
      long start) {
    List<ProbeResult> results = new ArrayList<>();
    probes.forEach((p, f) -> results.add(f.isDone() ? f.join().result
        : new ProbeResult(p, false, since(start), "still asking")));
    return results;
  }

  /** Why nothing mapped, for people. */
  private String problem(Map<MappingProtocol, CompletableFuture<Probe>> probes, List<String> refusals) {
    if (!refusals.isEmpty()) return String.join("; ", refusals);
    if (probes.size() == 1) return probes.values().iterator().next().join().result.detail();
    String names = probes.keySet().stream().map(MappingProtocol::toString)
        .collect(Collectors.joining(", "));
    int comma = names.lastIndexOf(", ");
    if (comma >= 0) names = names.substring(0, comma) + " or " + names.substring(comma + 2);
    return "no router answered " + names + " — is one of them switched on in your router?";
  }
}
