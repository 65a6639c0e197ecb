package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port mapping kept alive on a gateway until closed: the lease is renewed at half-time, and a
 * cheap check every {@link MappingOptions#checkInterval()} re-adds the mapping when the router
 * forgot it (routers forget everything when they reboot) and notices a new external address.
 * {@link #close()} deletes it; so does JVM shutdown if the mapping is still open.
 *
 * <pre>{@code
 * try (PortMapping m = PortMapping.open(gateway, Protocol.TCP, 5000, 5000,
 *     MappingOptions.defaults(), new MappingListener() {})) {
 *   System.out.println("reachable at " + m.externalAddress() + ":" + m.externalPort());
 * }
 * }</pre>
 */
public final class PortMapping implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortMapping.class);
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "upnp-port-mappings");
        thread.setDaemon(true);
        return thread;
      });

  /** What the router holds for us right now. */
  private record State(int externalPort, int leaseSeconds, long addedNanos,
      InetAddress externalAddress) {
    InetSocketAddress socketAddress() {
      return new InetSocketAddress(externalAddress, externalPort);
    }
  }

  private volatile Gateway gateway; // replaced when the router comes back at another URL
  private final Protocol protocol;
  private final int internalPort;
  private final MappingOptions options;
  private final MappingListener listener;
  private final Object lock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Counted down when the first close() has finished deleting (or failed to). */
  private final CountDownLatch deleted = new CountDownLatch(1);
  private final Thread shutdownHook = new Thread(this::close, "upnp-delete-mapping");
  private volatile State state;
  /** Who held the external port asked for at open, when someone else did. */
  private final PortMappingEntry preferredPortHolder;
  private volatile ScheduledFuture<?> checks;
  private volatile NotifyWatcher watcher;

  private PortMapping(Gateway gateway, Protocol protocol, int internalPort, MappingOptions options,
      MappingListener listener, State state, PortMappingEntry preferredPortHolder) {
    this.gateway = gateway;
    this.preferredPortHolder = preferredPortHolder;
    this.protocol = protocol;
    this.internalPort = internalPort;
    this.options = options;
    this.listener = listener;
    this.state = state;
  }

  /**
   * Maps {@code preferredExternalPort} (0: same as internal) on the gateway to
   * {@code internalPort} on our LAN address, working around refusals: a taken port (another one
   * is used: see {@link #externalPort()}), permanent-only leases, equal-ports-only routers.
   *
   * @throws IOException when the router could not be asked or refused in a way we can't work around
   */
  public static PortMapping open(Gateway gateway, Protocol protocol, int internalPort,
      int preferredExternalPort, MappingOptions options, MappingListener listener)
      throws IOException {
    // no multicast on loopback: a gateway there is a test fake
    InetSocketAddress announcements = gateway.localAddress().isLoopbackAddress()
        || !(gateway.localAddress() instanceof Inet4Address) ? null : GatewayFinder.SSDP_MULTICAST;
    return open(gateway, protocol, internalPort, preferredExternalPort, options, listener,
        announcements);
  }

  /**
   * As {@link #open(Gateway, Protocol, int, int, MappingOptions, MappingListener)}, hearing the
   * router's SSDP announcements on {@code announcements} (null: don't listen).
   */
  static PortMapping open(Gateway gateway, Protocol protocol, int internalPort,
      int preferredExternalPort, MappingOptions options, MappingListener listener,
      InetSocketAddress announcements) throws IOException {
    if (internalPort < 1 || internalPort > 65535) {
      throw new IllegalArgumentException("internal port out of range: " + internalPort);
    }
    if (preferredExternalPort < 0 || preferredExternalPort > 65535) {
      throw new IllegalArgumentException("external port out of range: " + preferredExternalPort);
    }
    int preferred = preferredExternalPort == 0 ? internalPort : preferredExternalPort;
    if (options.memory() != null) {
      preferred = EarlierMappings.choosePort(gateway, protocol, internalPort, preferred,
          preferredExternalPort != 0, options.description(), options.memory());
    }
    // the finder just asked; else it is independent of the mapping, so asked meanwhile
    CompletableFuture<InetAddress> external = gateway.externalIpAddressWhenFound()
        .map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.supplyAsync(() -> externalAddressOrNull(gateway),
            Background.POOL));
    Placement placement = Placement.add(gateway, protocol, internalPort, preferred,
        options.description(), (int) options.lease().getSeconds());
    State state = new State(placement.externalPort(), placement.leaseSeconds(), System.nanoTime(),
        external.join());
    PortMapping mapping = new PortMapping(gateway, protocol, internalPort, options,
        Objects.requireNonNull(listener, "listener"), state, placement.holder());
    mapping.rememberPort();
    mapping.start(announcements);
    log.info("mapped {} {}:{} -> {}:{} ({}; {})", protocol, mapping.describeExternalAddress(),
        state.externalPort, gateway.localAddress().getHostAddress(), internalPort,
        state.leaseSeconds == 0 ? "permanent" : "lease " + state.leaseSeconds + " s",
        mapping.addressKind());
    return mapping;
  }

  private void rememberPort() {
    if (options.memory() != null) {
      EarlierMappings.remember(options.memory(), protocol, internalPort, state.externalPort);
    }
  }

  private void start(InetSocketAddress announcements) {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long period = options.checkInterval().toMillis();
    if (state.leaseSeconds > 0) period = Math.min(period, state.leaseSeconds * 1000L / 2);
    checks = SCHEDULER.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    if (announcements == null) return;
    InetAddress router = IpLiteral.parse(gateway.location().getHost());
    if (router == null) return; // a gateway given by host name: announcements can't be matched
    try {
      watcher = NotifyWatcher.start(announcements, gateway.localAddress(), router,
          () -> SCHEDULER.execute(this::check));
    } catch (IOException e) {
      log.info("not listening for router announcements ({}); checking every {} s instead",
          e.getMessage(), options.checkInterval().toSeconds());
    }
  }

  /** Where router announcements are heard, for tests; null when not listening. */
  InetSocketAddress announcementAddress() throws IOException {
    return watcher == null ? null : watcher.localAddress();
  }

  private static InetAddress externalAddressOrNull(Gateway gateway) {
    try {
      return gateway.externalIpAddress();
    } catch (IOException e) {
      log.warn("could not learn the router's external address: {}", e.getMessage());
      return null;
    }
  }

  /** The port on the router's external address that reaches us. */
  public int externalPort() {
    return state.externalPort;
  }

  /**
   * Who held the external port asked for when the mapping was opened — another host, another
   * port of ours or a hand-made forward, left alone — so {@link #externalPort()} is another;
   * empty when the port asked for was free or already ours.
   */
  public Optional<PortMappingEntry> preferredPortHolder() {
    return Optional.ofNullable(preferredPortHolder);
  }

  /** The port on our host the router forwards to. */
  public int internalPort() {
    return internalPort;
  }

  /** The router's external address as last reported, or null when it reports none. */
  public InetAddress externalAddress() {
    return state.externalAddress;
  }

  /** Whether the external address makes us reachable from the internet. */
  public AddressKind addressKind() {
    return AddressKind.of(state.externalAddress);
  }

  /** True when the router only gave a permanent mapping (lease 0); it is still deleted on close. */
  public boolean permanent() {
    return state.leaseSeconds == 0;
  }

  /** Time left on the current lease; zero for a {@link #permanent()} mapping. */
  public Duration leaseRemaining() {
    State s = state;
    if (s.leaseSeconds == 0) return Duration.ZERO;
    Duration left = Duration.ofSeconds(s.leaseSeconds).minusNanos(System.nanoTime() - s.addedNanos);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The gateway holding the mapping (a new one if the router came back at another URL). */
  public Gateway gateway() {
    return gateway;
  }

  /** TCP or UDP. */
  public Protocol protocol() {
    return protocol;
  }

  /** Renews when half the lease is gone, else checks the router still has the mapping. */
  private void check() {
    Runnable event;
    synchronized (lock) {
      if (closed.get()) return;
      try {
        event = renewOrRestore();
      } catch (SoapFaultException e) {
        event = failed(e);
      } catch (IOException e) {
        event = relocateAndRestore(e);
      } catch (RuntimeException e) {
        log.error("port mapping check failed", e);
        return;
      }
    }
    try {
      event.run();
    } catch (RuntimeException e) {
      // a throwing listener must not end the checks: the scheduler would drop the task
      log.error("port mapping listener failed", e);
    }
  }

  /**
   * Renews when due and checks the entry: one the router forgot (it rebooted) is restored; one
   * held by someone else is left to them and ours moves to another port (not a reboot).
   */
  private Runnable renewOrRestore() throws IOException {
    State before = state;
    long age = System.nanoTime() - before.addedNanos;
    boolean renewDue = before.leaseSeconds > 0
        && age >= TimeUnit.SECONDS.toNanos(before.leaseSeconds) / 2;
    Optional<PortMappingEntry> held =
        gateway.specificPortMappingEntry(before.externalPort, protocol);
    PortMappingEntry other = held.filter(e -> !isOurs(e)).orElse(null);
    boolean forgotten = held.isEmpty() || !held.get().enabled();
    if (other == null && !forgotten && !renewDue) return refreshAddress(before, () -> listener.checked(this));
    if (other != null) {
      log.warn("external {} port {} is now mapped to {}:{} ({}), not to us; taking another port",
          protocol, before.externalPort, other.internalClient(), other.internalPort(),
          other.description());
    } else if (forgotten) {
      log.info("router at {} forgot port mapping {} {}; adding it again",
          Http.hostAndPort(gateway.location()), protocol, before.externalPort);
    }
    Placement placement = Placement.add(gateway, protocol, internalPort, before.externalPort,
        options.description(), before.leaseSeconds);
    state = new State(placement.externalPort(), placement.leaseSeconds(), System.nanoTime(),
        before.externalAddress);
    if (state.externalPort != before.externalPort) rememberPort();
    return refreshAddress(before, () -> {
      if (other != null) {
        listener.taken(this, other);
      } else if (forgotten) {
        listener.restored(this);
      } else {
        listener.renewed(this);
      }
    });
  }

  /**
   * The router did not answer at all. It may have rebooted onto another HTTP port (miniupnpd picks
   * a random one by default): find it again, and if it moved, restore the mapping there.
   */
  private Runnable relocateAndRestore(IOException noAnswer) {
    Gateway before = gateway;
    Optional<Gateway> now;
    try {
      now = before.relocate();
    } catch (IOException e) {
      return failed(noAnswer);
    }
    if (now.isEmpty() || now.get().controlUrl().equals(before.controlUrl())) return failed(noAnswer);
    log.info("router moved from {} to {}", before.location(), now.get().location());
    gateway = now.get();
    try {
      return renewOrRestore();
    } catch (IOException e) {
      return failed(e);
    }
  }

  private Runnable failed(IOException e) {
    log.warn("port mapping {} {}: {}", protocol, state.externalPort, e.getMessage());
    return () -> listener.failed(this, e);
  }

  /** Whether the router's {@code entry} is this mapping ({@link PortMappingEntry#sameHolder}). */
  private boolean isOurs(PortMappingEntry entry) {
    return entry.sameHolder(PortMappingEntry.of(protocol, entry.externalPort(),
        gateway.localAddress().getHostAddress(), internalPort, options.description(), 0));
  }

  /**
   * Re-reads the external address; the events to fire: {@code first}, then any address change
   * (or the failure to read it: {@code first} happened all the same).
   */
  private Runnable refreshAddress(State before, Runnable first) {
    InetAddress external;
    try {
      external = gateway.externalIpAddress();
    } catch (IOException e) {
      Runnable failure = failed(e);
      return () -> {
        first.run();
        failure.run();
      };
    }
    State now = state;
    if (!Objects.equals(external, now.externalAddress)) {
      now = new State(now.externalPort, now.leaseSeconds, now.addedNanos, external);
      state = now;
    }
    InetSocketAddress was = before.socketAddress();
    InetSocketAddress is = now.socketAddress();
    if (was.equals(is)) return first;
    log.info("external address changed from {} to {}", was, is);
    return () -> {
      first.run();
      listener.externalAddressChanged(this, was, is);
    };
  }

  private String describeExternalAddress() {
    InetAddress a = state.externalAddress;
    return a == null ? "(no external address)" : a.getHostAddress();
  }

  /**
   * Deletes the mapping from the router. Idempotent; failures are logged, not thrown. A close()
   * while another is deleting waits for that delete, up to twice the gateway's timeout (a check
   * in progress, then the delete): the JVM halts when its shutdown hook returns, and must not
   * halt in the middle of the delete.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      awaitDelete();
      return;
    }
    try {
      stopAndDelete();
    } finally {
      deleted.countDown();
    }
  }

  private void awaitDelete() {
    try {
      if (!deleted.await(gateway.timeout().toNanos() * 2, TimeUnit.NANOSECONDS)) {
        log.warn("port mapping {} {}: the delete in progress did not finish in time",
            protocol, state.externalPort);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stopAndDelete() {
    if (checks != null) checks.cancel(false);
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        log.debug("closing the announcement watcher: {}", e.toString());
      }
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook's close() waits for this one's delete
      }
    }
    synchronized (lock) {
      State s = state;
      try {
        Optional<PortMappingEntry> held =
            gateway.specificPortMappingEntry(s.externalPort, protocol);
        if (held.isEmpty() || !isOurs(held.get())) {
          log.info("not deleting port mapping {} {}: {}", protocol, s.externalPort, held.isEmpty()
              ? "the router has none" : "it is now mapped to " + held.get().internalClient() + ":"
              + held.get().internalPort() + " (" + held.get().description() + ")");
          return;
        }
        gateway.deletePortMapping(s.externalPort, protocol);
        log.info("deleted port mapping {} {}", protocol, s.externalPort);
      } catch (SoapFaultException e) {
        if (e.errorCode() != SoapFaultException.NO_SUCH_ENTRY_IN_ARRAY) {
          log.warn("could not delete port mapping {} {}: {}", protocol, s.externalPort, e.getMessage());
        }
      } catch (IOException e) {
        log.warn("could not delete port mapping {} {}: {}", protocol, s.externalPort, e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return protocol + " " + describeExternalAddress() + ":" + state.externalPort + " -> "
        + gateway.localAddress().getHostAddress() + ":" + internalPort;
  }
}
