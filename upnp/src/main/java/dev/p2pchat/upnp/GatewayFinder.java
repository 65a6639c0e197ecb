package dev.p2pchat.upnp;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Internet Gateway Device on the LAN: SSDP search, description, and choice among the
 * devices that answer. Returns as soon as a gateway is confirmed connected with an external
 * address; never waits out the timeout when a good answer is in. With {@link #remembered}, the
 * gateway found last time is tried first, before or beside the search. Immutable: the
 * configuring methods return new finders.
 *
 * <pre>{@code
 * Optional<Gateway> gateway = new GatewayFinder().timeout(Duration.ofSeconds(2))
 *     .remembered(GatewayFinder.userCacheFile()).find();
 * }</pre>
 */
public final class GatewayFinder {
  private static final Logger log = LoggerFactory.getLogger(GatewayFinder.class);
  static final InetSocketAddress SSDP_MULTICAST =
      new InetSocketAddress(IpLiteral.parse("239.255.255.250"), 1900);
  /** After the last repeat, devices may take MX seconds to answer; then settle for the best. */
  private static final Duration SETTLE = Duration.ofMillis(300 + SsdpSearch.MX_SECONDS * 1000L);
  /** How long the remembered gateway is tried alone before the search starts beside it. */
  static final Duration HEAD_START = Duration.ofMillis(150);

  private final Duration timeout;
  private final InetSocketAddress searchAddress;
  /** Where the last gateway found is remembered; null for none. */
  private final Path memory;
  /** The OS's default gateway, preferred over other devices that answer; null when unknown. */
  private final InetAddress defaultGateway;

  /**
   * A finder with a 3 s timeout searching the SSDP multicast group 239.255.255.250:1900,
   * remembering nothing.
   */
  public GatewayFinder() {
    this(Duration.ofSeconds(3), SSDP_MULTICAST, null, null);
  }

  private GatewayFinder(Duration timeout, InetSocketAddress searchAddress, Path memory,
      InetAddress defaultGateway) {
    this.timeout = timeout;
    this.searchAddress = searchAddress;
    this.memory = memory;
    this.defaultGateway = defaultGateway;
  }

  /**
   * A finder that gives up after {@code t}. It also bounds each HTTP exchange with the gateway
   * found.
   */
  public GatewayFinder timeout(Duration t) {
    if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be > 0: " + t);
    return new GatewayFinder(t, searchAddress, memory, defaultGateway);
  }

  /**
   * A finder that sends its searches to {@code target}: the multicast group (the default), or one
   * device by unicast, e.g. a test fake on 127.0.0.1.
   */
  public GatewayFinder searchAddress(InetSocketAddress target) {
    if (target.isUnresolved()) throw new IllegalArgumentException("unresolved address " + target);
    return new GatewayFinder(timeout, target, memory, defaultGateway);
  }

  /**
   * A finder that remembers in {@code file} the gateway it finds (its LOCATION and control URL)
   * and, on the next find, confirms that one first with one {@code GetExternalIPAddress} at the
   * remembered control URL, without fetching the description; should that fail, it fetches the
   * remembered description. When the gateway is confirmed within 150 ms no search is sent at all;
   * otherwise the search starts beside it and whichever is confirmed first is returned. A
   * remembered LOCATION must pass the rule an SSDP answer's does (http, an IP literal on the
   * searched network), and its control URL must be on the same host, else the file is ignored
   * and logged; a stale one costs a refused request, or the 150 ms when nothing answers there,
   * and is replaced by the gateway found. An unreadable or garbled file is ignored.
   */
  public GatewayFinder remembered(Path file) {
    return new GatewayFinder(timeout, searchAddress, file, defaultGateway);
  }

  /**
   * A finder that prefers the router at {@code address}, the default gateway of the OS's routing
   * table (null: unknown, take the best device that answers). Another LAN device that says it is
   * an IGD — and may report a made-up external address — is used only when the default gateway
   * offers nothing by the time answers settle; it is logged as a warning naming the device, and
   * {@link Gateway#passedOverDefaultGateway()} says so. A remembered router elsewhere is not
   * taken without a search.
   */
  public GatewayFinder defaultGateway(InetAddress address) {
    return new GatewayFinder(timeout, searchAddress, memory, address);
  }

  /**
   * Where p2p-chat's programs remember their gateway: {@code $XDG_CACHE_HOME/p2p-chat/gateway},
   * or {@code ~/.cache/p2p-chat/gateway} when that variable is unset or not absolute.
   */
  public static Path userCacheFile() {
    return userCacheFile(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
  }

  static Path userCacheFile(String xdgCacheHome, String userHome) {
    boolean valid = xdgCacheHome != null && !xdgCacheHome.isEmpty()
        && Path.of(xdgCacheHome).isAbsolute(); // the XDG spec says to ignore a relative one
    Path base = valid ? Path.of(xdgCacheHome) : Path.of(userHome, ".cache");
    return base.resolve("p2p-chat").resolve("gateway");
  }

  /**
   * Uses the gateway whose description is at {@code location}, skipping discovery (like
   * {@code upnpc -u}).
   */
  public static Gateway atLocation(URI location, Duration timeout) throws IOException {
    return Gateway.fetch(location, timeout, null);
  }

  /**
   * Searches for a gateway. The first one found connected with an external address is returned
   * at once; otherwise the best one seen once answers have settled (about 1.3 s) or at the
   * timeout.
   *
   * @return the gateway, or empty when none usable answered in time (the reason is logged)
   * @throws IOException when the search itself could not be sent
   */
  public Optional<Gateway> find() throws IOException {
    try {
      return Optional.of(search());
    } catch (NoGatewayException e) {
      log.info(e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * As {@link #find()}, for callers that want to tell people why no gateway was found.
   *
   * @throws UpnpException when none usable answered in time, saying what was heard, e.g. {@code
   *     no router answered the UPnP search within 3 s — is UPnP switched on in your router?}, or
   *     {@code no usable router answered the UPnP search within 3 s: router at 192.168.1.1:80
   *     sent an invalid description: ...}, or {@code 2 devices answered the UPnP search but could
   *     not be checked within 200 ms — try a longer timeout}
   * @throws IOException when the search itself could not be sent
   */
  public Gateway findOrThrow() throws IOException {
    return search();
  }

  /** No usable gateway answered; the message says what was heard. */
  private static final class NoGatewayException extends UpnpException {
    NoGatewayException(String message) {
      super(message);
    }
  }

  private Gateway search() throws IOException {
    RememberedGateway.Entry remembered =
        memory == null ? null : RememberedGateway.load(memory, searchAddress);
    Gateway gateway = search(remembered);
    if (memory != null) {
      RememberedGateway.Entry found = RememberedGateway.Entry.of(gateway);
      if (!found.equals(remembered)) {
        RememberedGateway.save(memory, found);
      }
    }
    return gateway;
  }

  private Gateway search(RememberedGateway.Entry rememberedEntry) throws IOException {
    URI remembered = rememberedEntry == null ? null : rememberedEntry.location();
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long settle = start + Math.min(timeout.toNanos(), SETTLE.toNanos());
    BlockingQueue<Confirmation> confirmed = new LinkedBlockingQueue<>();
    List<String> rejections = new ArrayList<>();
    CompletableFuture<Confirmation> rememberedCheck = null;
    if (remembered != null) {
      log.debug("trying the remembered gateway {}", remembered);
      rememberedCheck = CompletableFuture.supplyAsync(
          () -> Confirmation.ofRemembered(rememberedEntry, timeout, searchAddress),
          Background.POOL);
      // A head start: miniupnpd answers HTTP slower while it has M-SEARCH answers queued
      // (measured in the lab: 40 ms instead of 12 to confirm), and a confirmed router needs no
      // search at all. A stale entry is mostly refused at once; one that hangs costs this much.
      Confirmation early = within(rememberedCheck, Math.min(HEAD_START.toNanos(),
          timeout.toNanos()));
      if (early != null && early.rank() == Confirmation.BEST && atDefaultGateway(early)) {
        return early.gateway();
      }
    }
    log.debug("searching for an Internet Gateway Device for up to {} ms", timeout.toMillis());
    try (SsdpSearch search = SsdpSearch.start(searchAddress)) {
      if (search.channelCount() == 0) {
        throw new NoGatewayException(
            "cannot search for a router: no network interface is up with IPv4 multicast");
      }
      int pending = 0;
      int answers = 0; // devices that answered the search (the remembered one aside)
      int answersChecked = 0;
      if (rememberedCheck != null) {
        pending++;
        rememberedCheck.thenAccept(c -> {
          confirmed.add(c);
          search.wakeup();
        });
      }
      Confirmation best = null; // at the default gateway, or anywhere when it is unknown
      Confirmation elsewhere = null; // the best other device, when the default gateway is known
      while (true) {
        for (Confirmation c; (c = confirmed.poll()) != null; ) {
          pending--;
          if (!c.location().equals(remembered)) answersChecked++;
          if (c.failure() != null) {
            if (c.location().equals(remembered)) {
              log.info("the remembered gateway {} is not usable now ({}); searching",
                  remembered, c.failure().getMessage());
            } else {
              rejections.add(c.failure().getMessage());
              log.info("not using {}: {}", c.location(), c.failure().getMessage());
            }
            continue;
          }
          if (!atDefaultGateway(c)) {
            if (elsewhere == null || c.rank() > elsewhere.rank()) elsewhere = c;
            continue;
          }
          if (c.rank() == Confirmation.BEST) return c.gateway();
          if (best == null || c.rank() > best.rank()) best = c;
        }
        long now = System.nanoTime();
        boolean settled = (best != null || elsewhere != null) && pending == 0;
        if (now - deadline >= 0 || (settled && now - settle >= 0)) break;
        SsdpSearch.Answer answer = search.next(settled ? settle : deadline);
        if (answer != null && !answer.location().equals(remembered)) {
          pending++;
          answers++;
          // in parallel, so a slow device can't hold up a good one
          Background.POOL.execute(() -> {
            confirmed.add(Confirmation.of(answer.location(), timeout, searchAddress));
            search.wakeup();
          });
        }
      }
      if (best != null) {
        log.info("using {}: {}", best.gateway(), best.why());
        return best.gateway();
      }
      if (elsewhere != null) {
        log.warn("your default gateway {} offers no UPnP; using {} instead, another device on"
            + " your LAN that says it is a router: {}", defaultGateway.getHostAddress(),
            elsewhere.gateway(), elsewhere.why());
        return elsewhere.gateway().passingOver(defaultGateway);
      }
      log.debug("searched {} for {} ms: {} device(s) answered, {} still being checked",
          search.describeTarget(), timeout.toMillis(), answers, answers - answersChecked);
      throw new NoGatewayException(noGatewayMessage(answers - answersChecked, rejections));
    }
  }

  /** Whether {@code c} is at the default gateway, or the default gateway is unknown. */
  private boolean atDefaultGateway(Confirmation c) {
    return defaultGateway == null
        || defaultGateway.equals(IpLiteral.parse(c.location().getHost()));
  }

  /** Why no gateway was found, for people: the search's specifics are in the debug log. */
  private String noGatewayMessage(int unchecked, List<String> rejections) {
    String within = " within " + forPeople(timeout);
    String unusable = rejections.isEmpty() ? ""
        : (unchecked > 0 ? "; unusable: " : ": ") + String.join("; ", rejections);
    if (unchecked > 0) {
      return unchecked + (unchecked == 1 ? " device" : " devices") + " answered the UPnP search"
          + " but could not be checked" + within + " — try a longer timeout" + unusable;
    }
    if (!rejections.isEmpty()) return "no usable router answered the UPnP search" + within + unusable;
    return "no router answered the UPnP search" + within + " — is UPnP switched on in your router?";
  }

  /** E.g. 200 ms, 3 s, 1.5 s. */
  static String forPeople(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
  }

  /** The check's result if it comes within {@code nanos}, else null. */
  private static Confirmation within(CompletableFuture<Confirmation> check, long nanos) {
    try {
      return check.get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause()); // Confirmation.of returns its failures
    }
  }

  /**
   * A device that answered (or was remembered), checked: its gateway, carrying what the router
   * said, and how good it is; or why it is unusable.
   *
   * @param rank 0 usable service, 1 also has an external address, 2 also says Connected — or,
   *     for the gateway remembered with its control URL, answered there with an external address
   */
  private record Confirmation(URI location, Gateway gateway, IOException failure, int rank) {
    static final int BEST = 2;

    /**
     * The remembered gateway, asked at its remembered control URL when there is one (the router
     * chosen last time, so an external address is enough); else, or when that fails, by its
     * description.
     */
    static Confirmation ofRemembered(RememberedGateway.Entry entry, Duration timeout,
        InetSocketAddress via) {
      if (entry.service() != null) {
        URI control = entry.service().controlUrl();
        try {
          Gateway gateway = Gateway.confirmRemembered(entry.location(), entry.service(), timeout,
              via);
          if (AddressKind.of(gateway.externalIpAddressWhenFound().orElse(null))
              != AddressKind.NONE) {
            return new Confirmation(entry.location(), gateway, null, BEST);
          }
          log.info("the remembered gateway's control URL {} reports no external address;"
              + " fetching its description", control);
        } catch (IOException e) {
          log.info("the remembered gateway's control URL {} failed ({}); fetching its"
              + " description", control, e.getMessage());
        }
      }
      return of(entry.location(), timeout, via);
    }

    static Confirmation of(URI location, Duration timeout, InetSocketAddress via) {
      Gateway gateway;
      try {
        gateway = Gateway.fetch(location, timeout, via);
      } catch (IOException e) {
        return new Confirmation(location, null, e, -1);
      }
      CompletableFuture<ConnectionStatus> statusLater = CompletableFuture.supplyAsync(() -> {
        try {
          return gateway.statusInfo();
        } catch (IOException e) {
          log.debug("{} did not answer GetStatusInfo: {}", location, e.getMessage());
          return null;
        }
      }, Background.POOL);
      InetAddress external;
      try {
        external = gateway.externalIpAddress();
      } catch (IOException e) {
        log.debug("{} did not answer GetExternalIPAddress: {}", location, e.getMessage());
        external = null;
      }
      ConnectionStatus status = statusLater.join();
      int rank = AddressKind.of(external) == AddressKind.NONE ? 0
          : status != null && status.connected() ? BEST : 1;
      return new Confirmation(location, gateway.confirmed(status, external), null, rank);
    }

    String why() {
      InetAddress external = gateway.externalIpAddressWhenFound().orElse(null);
      return "the best gateway that answered (connection status "
          + gateway.statusInfoWhenFound().map(ConnectionStatus::status).orElse("unknown")
          + ", external address " + (external == null ? "none" : external.getHostAddress()) + ")";
    }
  }
}
