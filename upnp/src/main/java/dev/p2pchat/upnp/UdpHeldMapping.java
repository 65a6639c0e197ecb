package dev.p2pchat.upnp;

import dev.p2pchat.upnp.natpmp.MapAnswer;
import dev.p2pchat.upnp.natpmp.MappingClient;
import dev.p2pchat.upnp.natpmp.NatPmpClient;
import dev.p2pchat.upnp.natpmp.ServerEpoch;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NAT-PMP or PCP mapping kept alive: renewed when half its lifetime is gone, and at every
 * check the router's epoch is asked (NAT-PMP's answer also carries the external address): an
 * epoch that fell behind our clock means the router rebooted and forgot the mapping, which is
 * then asked for again. Deleted (lifetime 0) on close.
 */
final class UdpHeldMapping implements HeldMapping {
  private static final Logger log = LoggerFactory.getLogger(UdpHeldMapping.class);
  /** A delete is tried this long: the node is quitting, and a router that lost it lets it expire. */
  private static final Duration DELETE_TIMEOUT = Duration.ofSeconds(2);

  private final MappingProtocol protocol;
  private final MappingClient client;
  private final InetAddress localAddress;
  private final int internalPort;
  private final long askedLifetime;
  private final Events events;
  private final ServerEpoch epoch = new ServerEpoch();
  private final ScheduledExecutorService scheduler;
  private volatile Mapping mapping;
  private long grantedNanos;
  private boolean closed;
  private ScheduledFuture<?> checks;

  private UdpHeldMapping(MappingProtocol protocol, MappingClient client, InetAddress localAddress,
      int internalPort, long askedLifetime, Events events, ScheduledExecutorService scheduler) {
    this.protocol = protocol;
    this.client = client;
    this.localAddress = localAddress;
    this.internalPort = internalPort;
    this.askedLifetime = askedLifetime;
    this.events = events;
    this.scheduler = scheduler;
  }

  /**
   * Maps the TCP port with {@code client}, then checks it on {@code scheduler} every
   * {@code checkIntervalMillis} (or at half the lifetime granted, if sooner).
   */
  static UdpHeldMapping open(MappingProtocol protocol, MappingClient client, int internalPort,
      int preferredExternalPort, MappingOptions options, Events events,
      ScheduledExecutorService scheduler) throws IOException {
    long lifetime = options.lease().isZero() ? 7200 : options.lease().getSeconds();
    UdpHeldMapping held = new UdpHeldMapping(protocol, client, localAddressTowards(client.server()),
        internalPort, lifetime, events, scheduler);
    synchronized (held) {
      MapAnswer answer = client.map(Protocol.TCP, internalPort, preferredExternalPort, lifetime);
      held.epoch.rebooted(answer.epochSeconds(), System.nanoTime());
      held.granted(answer);
      long period = Math.min(options.checkInterval().toMillis(),
          Math.max(1, held.mapping.leaseSeconds() * 1000 / 2));
      held.checks = scheduler.scheduleWithFixedDelay(held::check, period, period,
          TimeUnit.MILLISECONDS);
    }
    log.info("mapped {}", held.mapping);
    return held;
  }

  /** Our address as the router sees it: the source address of a socket towards it (none is sent). */
  private static InetAddress localAddressTowards(InetSocketAddress server) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(server);
      return socket.getLocalAddress();
    }
  }

  private Mapping granted(MapAnswer answer) {
    grantedNanos = System.nanoTime();
    mapping = new Mapping(protocol, client.server().getAddress().getHostAddress(),
        answer.externalAddress(), answer.externalPort(), localAddress, internalPort,
        answer.lifetimeSeconds());
    return mapping;
  }

  @Override
  public Mapping mapping() {
    return mapping;
  }

  /**
   * Renews now: the router announced that it restarted or its address changed (RFC 6887 14.1.3:
   * a client hearing an unsolicited ANNOUNCE renews its mappings).
   */
  @Override
  public void checkNow() {
    scheduler.execute(() -> check(true));
  }

  private void check() {
    check(false);
  }

  private synchronized void check(boolean renewNow) {
    if (closed) return;
    Mapping before = mapping;
    try {
      long age = System.nanoTime() - grantedNanos;
      boolean renewDue = renewNow || age >= TimeUnit.SECONDS.toNanos(before.leaseSeconds()) / 2;
      boolean rebooted = false;
      if (!renewDue) {
        InetAddress address = before.externalAddress();
        long e;
        if (client instanceof NatPmpClient pmp) {
          NatPmpClient.ExternalAddress answer = pmp.externalAddress();
          e = answer.epochSeconds();
          address = answer.address();
        } else {
          e = client.epoch();
        }
        rebooted = epoch.rebooted(e, System.nanoTime());
        if (!rebooted) {
          if (Objects.equals(address, before.externalAddress())) {
            events.checked(before);
            return;
          }
          mapping = new Mapping(protocol, before.router(), address, before.externalPort(),
              localAddress, internalPort, before.leaseSeconds());
          events.checked(mapping);
          events.changed(before, mapping);
          return;
        }
        log.info("router at {} restarted (its {} epoch fell behind); mapping TCP {} again",
            before.router(), protocol, before.externalPort());
      }
      MapAnswer answer = client.map(Protocol.TCP, internalPort, before.externalPort(), askedLifetime);
      if (renewDue) rebooted = epoch.rebooted(answer.epochSeconds(), System.nanoTime());
      Mapping after = granted(answer);
      if (rebooted) {
        events.restored(before, after);
      } else {
        events.checked(after);
      }
      if (!before.external().equals(after.external())) events.changed(before, after);
    } catch (IOException e) {
      log.warn("{} mapping TCP {}: {}", protocol, before.externalPort(), e.getMessage());
      events.failed(before, e);
    } catch (RuntimeException e) {
      log.error("{} mapping check failed", protocol, e); // the scheduler would drop the task
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
      if (checks != null) checks.cancel(false);
    }
    try {
      client.timeout(DELETE_TIMEOUT).delete(Protocol.TCP, internalPort);
      log.info("deleted {} mapping TCP {}", protocol, mapping.externalPort());
    } catch (IOException e) {
      log.warn("could not delete {} mapping TCP {}: {}", protocol, mapping.externalPort(),
          e.getMessage());
    }
  }
}
