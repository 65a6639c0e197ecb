package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Internet Gateway Device on the LAN: SSDP search, description, and choice among the
 * devices that answer. Returns as soon as a gateway is confirmed connected with an external
 * address; never waits out the timeout when a good answer is in. Immutable: the configuring
 * methods return new finders.
 *
 * <pre>{@code
 * Optional<Gateway> gateway = new GatewayFinder().timeout(Duration.ofSeconds(2)).find();
 * }</pre>
 */
public final class GatewayFinder {
  private static final Logger log = LoggerFactory.getLogger(GatewayFinder.class);
  static final InetSocketAddress SSDP_MULTICAST =
      new InetSocketAddress(IpLiteral.parse("239.255.255.250"), 1900);
  /** After the last repeat, devices may take MX seconds to answer; then settle for the best. */
  private static final Duration SETTLE = Duration.ofMillis(300 + SsdpSearch.MX_SECONDS * 1000L);

  private final Duration timeout;
  private final InetSocketAddress searchAddress;

  /** A finder with a 3 s timeout searching the SSDP multicast group 239.255.255.250:1900. */
  public GatewayFinder() {
    this(Duration.ofSeconds(3), SSDP_MULTICAST);
  }

  private GatewayFinder(Duration timeout, InetSocketAddress searchAddress) {
    this.timeout = timeout;
    this.searchAddress = searchAddress;
  }

  /**
   * A finder that gives up after {@code t}. It also bounds each HTTP exchange with the gateway
   * found.
   */
  public GatewayFinder timeout(Duration t) {
    if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be > 0: " + t);
    return new GatewayFinder(t, searchAddress);
  }

  /**
   * A finder that sends its searches to {@code target}: the multicast group (the default), or one
   * device by unicast, e.g. a test fake on 127.0.0.1.
   */
  public GatewayFinder searchAddress(InetSocketAddress target) {
    if (target.isUnresolved()) throw new IllegalArgumentException("unresolved address " + target);
    return new GatewayFinder(timeout, target);
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
   *     no UPnP gateway answered by multicast on 1 interface address(es) within 3000 ms; devices
   *     that answered were unusable: router at 192.168.1.1:80 sent an invalid description: ...}
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
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long settle = start + Math.min(timeout.toNanos(), SETTLE.toNanos());
    BlockingQueue<Confirmation> confirmed = new LinkedBlockingQueue<>();
    List<String> rejections = new ArrayList<>();
    try (SsdpSearch search = SsdpSearch.start(searchAddress)) {
      if (search.channelCount() == 0) {
        throw new NoGatewayException(
            "no UPnP gateway search possible: no network interface is up with IPv4 multicast");
      }
      int pending = 0;
      Confirmation best = null;
      while (true) {
        for (Confirmation c; (c = confirmed.poll()) != null; ) {
          pending--;
          if (c.failure() != null) {
            rejections.add(c.failure().getMessage());
            log.info("not using {}: {}", c.answer().location(), c.failure().getMessage());
            continue;
          }
          if (c.rank() == Confirmation.BEST) return c.gateway();
          if (best == null || c.rank() > best.rank()) best = c;
        }
        long now = System.nanoTime();
        if (now - deadline >= 0 || (best != null && pending == 0 && now - settle >= 0)) break;
        SsdpSearch.Answer answer = search.next(best != null && pending == 0 ? settle : deadline);
        if (answer != null) {
          pending++;
          // in parallel, so a slow device can't hold up a good one
          Background.POOL.execute(() -> {
            confirmed.add(Confirmation.of(answer, timeout, searchAddress));
            search.wakeup();
          });
        }
      }
      if (best != null) {
        log.info("using {}: {}", best.gateway(), best.why());
        return best.gateway();
      }
      throw new NoGatewayException("no UPnP gateway answered " + search.describeTarget()
          + " within " + timeout.toMillis() + " ms" + (rejections.isEmpty() ? ""
              : "; devices that answered were unusable: " + String.join("; ", rejections)));
    }
  }

  /**
   * A device that answered, checked: its gateway and how good it is, or why it is unusable.
   *
   * @param rank 0 usable service, 1 also has an external address, 2 also says Connected
   */
  private record Confirmation(SsdpSearch.Answer answer, Gateway gateway, IOException failure,
      int rank, String status) {
    static final int BEST = 2;

    static Confirmation of(SsdpSearch.Answer answer, Duration timeout, InetSocketAddress via) {
      Gateway gateway;
      try {
        gateway = Gateway.fetch(answer.location(), timeout, via);
      } catch (IOException e) {
        return new Confirmation(answer, null, e, -1, "");
      }
      CompletableFuture<String> statusLater = CompletableFuture.supplyAsync(() -> {
        try {
          return gateway.statusInfo().status();
        } catch (IOException e) {
          return "unknown (" + e.getMessage() + ")";
        }
      }, Background.POOL);
      InetAddress external;
      try {
        external = gateway.externalIpAddress();
      } catch (IOException e) {
        external = null;
      }
      String status = statusLater.join();
      int rank = AddressKind.of(external) == AddressKind.NONE ? 0
          : status.equalsIgnoreCase("Connected") ? BEST : 1;
      return new Confirmation(answer, gateway, null, rank, status + ", external address "
          + (external == null ? "none" : external.getHostAddress()));
    }

    String why() {
      return "the best gateway that answered (connection status " + status + ")";
    }
  }
}
