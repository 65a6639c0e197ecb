package dev.p2pchat.upnp;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP port {@link PortMapper} keeps mapped: once mapped, renewed and checked (and restored
 * after a router reboot) by the protocol that mapped it; while not mapped, asked for again in
 * the background — after 2 s, then twice as long each time up to a minute, and at once when
 * the router announces itself (an SSDP {@code ssdp:alive}, a PCP ANNOUNCE or a NAT-PMP address
 * notice). A mapping that fails three checks in a row is given up and looked for anew.
 * {@link #close()} deletes the mapping. All work runs on one background thread per port;
 * listeners are called there.
 */
public final class MappedPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MappedPort.class);
  /** Failed checks in a row after which a mapping is given up and all protocols asked again. */
  static final int FAILURES_TO_GIVE_UP = 3;

  /** Hears what happens to the mapping; called on the port's thread. All do nothing by default. */
  public interface Listener {
    /** A mapping was made: the first, or one after none or after the last was given up. */
    default void mapped(Mapping m) {}

    /** The router had forgotten the mapping (it rebooted, or it stopped answering for a while) and has it again. */
    default void restored(Mapping m) {}

    /** The address peers dial changed (a new external address or port). */
    default void changed(Mapping before, Mapping now) {}

    /** The router stopped confirming the mapping; it is being asked again. */
    default void lost(Mapping last, String why) {}
  }

  /**
   * What is true now.
   *
   * @param mapping the mapping held, if any
   * @param checked when the router last confirmed it
   * @param troubleSince since when the mapping is not confirmed (checks fail), if it is not
   * @param problem why there is no mapping, or why checks fail; empty when all is well
   * @param nextAttempt when all protocols are asked again, while there is no mapping
   * @param looking whether they are being asked right now
   * @param probes how each protocol answered the last time all were asked
   */
  public record Status(Optional<Mapping> mapping, Optional<Instant> checked,
      Optional<Instant> troubleSince, Optional<String> problem, Optional<Instant> nextAttempt,
      boolean looking, List<ProbeResult> probes) {}

  private final PortMapper mapper;
  private final int internalPort;
  private final int externalPort;
  private final Listener listener;
  private final ScheduledExecutorService thread;
  private final CompletableFuture<Optional<Mapping>> firstAttempt = new CompletableFuture<>();
  private final Thread shutdownHook = new Thread(this::close, "port-mapper-delete");
  // The fields below are only written on `thread`.
  private volatile HeldMapping held;
  private volatile Instant checked;
  private volatile Instant troubleSince;
  private volatile String problem;
  private volatile Instant nextAttempt;
  private volatile boolean looking;
  private volatile List<ProbeResult> probes = List.of();
  private volatile boolean closed;
  private int failures;
  private Duration backoff;
  private ScheduledFuture<?> scheduledAttempt;
  private final List<Closeable> watchers = new CopyOnWriteArrayList<>();
  /** Counted down once the announcement watchers are started (or could not be). */
  private final CountDownLatch listening = new CountDownLatch(1);

  private MappedPort(PortMapper mapper, int internalPort, int externalPort, Listener listener) {
    this.mapper = mapper;
    this.internalPort = internalPort;
    this.externalPort = externalPort;
    this.listener = listener;
    this.backoff = mapper.firstRetry();
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "port-mapper-" + internalPort);
      t.setDaemon(true);
      return t;
    });
  }

  static MappedPort start(PortMapper mapper, int internalPort, int externalPort, Listener listener) {
    MappedPort port = new MappedPort(mapper, internalPort, externalPort, listener);
    Runtime.getRuntime().addShutdownHook(port.shutdownHook);
    port.thread.execute(port::attempt);
    // beside the first attempt: finding the interface and joining groups takes some 20 ms
    Background.POOL.execute(port::listenForAnnouncements);
    return port;
  }

  /**
   * Waits up to {@code wait} for the first attempt; the mapping, or empty when none was made
   * (yet: a later one is announced to {@link Listener#mapped}).
   */
  public Optional<Mapping> awaitMapping(Duration wait) {
    try {
      return firstAttempt.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return current();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return current();
    }
  }

  /** The mapping held now, if any. */
  public Optional<Mapping> current() {
    HeldMapping h = held;
    return h == null ? Optional.empty() : Optional.of(h.mapping());
  }

  /** What is true now, for a status display. */
  public Status status() {
    return new Status(current(), Optional.ofNullable(checked), Optional.ofNullable(troubleSince),
        Optional.ofNullable(problem), held == null ? Optional.ofNullable(nextAttempt) : Optional.empty(),
        looking, probes);
  }

  /** Which protocols are asked. */
  public List<MappingProtocol> protocols() {
    return List.copyOf(mapper.via());
  }

  private void attempt() {
    if (closed || held != null) return;
    looking = true;
    nextAttempt = null;
    PortMapper.Attempt a = mapper.attempt(internalPort, externalPort, new Events(), thread);
    looking = false;
    probes = a.probes();
    if (a.held() == null) {
      if (closed) return;
      problem = a.problem();
      log.info("no port mapping: {}; asking again in {} s", problem, backoff.toSeconds());
      nextAttempt = Instant.now().plus(backoff);
      scheduledAttempt = thread.schedule(this::attempt, backoff.toMillis(), TimeUnit.MILLISECONDS);
      backoff = backoff.multipliedBy(2).compareTo(mapper.maxRetry()) > 0 ? mapper.maxRetry()
          : backoff.multipliedBy(2);
      firstAttempt.complete(Optional.empty());
      return;
    }
    HeldMapping h = a.held();
    synchronized (this) { // against close(): what it does not see, this deletes
      if (closed) {
        h.close();
        return;
      }
      held = h;
    }
    backoff = mapper.firstRetry();
    failures = 0;
    checked = Instant.now();
    troubleSince = null;
    problem = null;
    Mapping m = h.mapping();
    firstAttempt.complete(Optional.of(m));
    call(() -> listener.mapped(m));
  }

  /** The router announced itself: ask now if there is no mapping, else check the one held. */
  private void announced() {
    if (closed) return;
    run(() -> {
      HeldMapping h = held;
      if (h != null) {
        h.checkNow();
      } else if (!looking) {
        if (scheduledAttempt != null) scheduledAttempt.cancel(false);
        log.info("the router announced itself; asking for a port mapping now");
        attempt();
      }
    });
  }

  private void listenForAnnouncements() {
    try {
      startWatchers();
    } finally {
      listening.countDown();
    }
    if (closed) closeWatchers(); // closed meanwhile: close() may have missed some
  }

  private void startWatchers() {
    InetSocketAddress server = mapper.portControlServer();
    if (server == null) return;
    InetAddress router = server.getAddress();
    InetAddress local;
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(server); // no packet: the kernel picks the interface towards the router
      local = s.getLocalAddress();
    } catch (IOException e) {
      log.info("not listening for router announcements: {}", e.getMessage());
      return;
    }
    InetSocketAddress pcp = mapper.pcpAnnouncements();
    InetSocketAddress ssdp = mapper.ssdpAnnouncements();
    try {
      if (pcp != null) {
        watchers.add(PortControlAnnouncements.start(pcp, local, router, this::announced));
      }
      if (ssdp != null && mapper.via().contains(MappingProtocol.UPNP)) {
        watchers.add(NotifyWatcher.start(ssdp, local, router, this::announced));
      }
    } catch (IOException e) {
      log.info("not listening for router announcements ({}); asking every {} s at most instead",
          e.getMessage(), mapper.maxRetry().toSeconds());
    }
  }

  /** Where PCP announcements are heard, for tests; null when not listening. */
  InetSocketAddress pcpAnnouncementAddress() throws IOException {
    awaitListening();
    for (Closeable w : watchers) {
      if (w instanceof RouterAnnouncements r) return r.localAddress();
    }
    return null;
  }

  /** Where SSDP announcements are heard, for tests; null when not listening. */
  InetSocketAddress ssdpAnnouncementAddress() throws IOException {
    awaitListening();
    for (Closeable w : watchers) {
      if (w instanceof NotifyWatcher n) return n.localAddress();
    }
    return null;
  }

  private void awaitListening() throws IOException {
    try {
      listening.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** A held mapping's events, handled on the port's thread. */
  private final class Events implements HeldMapping.Events {
    @Override
    public void checked(Mapping now) {
      run(() -> {
        checked = Instant.now();
        boolean wasInTrouble = troubleSince != null;
        clearTrouble();
        if (wasInTrouble) call(() -> listener.restored(now));
      });
    }

    @Override
    public void restored(Mapping before, Mapping now) {
      run(() -> {
        checked = Instant.now();
        clearTrouble();
        call(() -> listener.restored(now));
      });
    }

    @Override
    public void changed(Mapping before, Mapping now) {
      run(() -> call(() -> listener.changed(before, now)));
    }

    @Override
    public void failed(Mapping last, IOException why) {
      run(() -> {
        if (closed || held == null) return;
        problem = why.getMessage();
        failures++;
        if (troubleSince == null) {
          troubleSince = Instant.now();
          call(() -> listener.lost(last, why.getMessage()));
        }
        if (failures >= FAILURES_TO_GIVE_UP) {
          log.info("giving up the {} mapping after {} failed checks; asking all protocols again",
              last.protocol(), failures);
          HeldMapping h;
          synchronized (MappedPort.this) {
            h = held;
            held = null;
          }
          if (h != null) h.close();
          attempt();
        }
      });
    }

    private void clearTrouble() {
      troubleSince = null;
      problem = null;
      failures = 0;
    }
  }

  private void closeWatchers() {
    for (Closeable w : watchers) {
      try {
        w.close();
      } catch (IOException e) {
        log.debug("closing an announcement watcher: {}", e.toString());
      }
    }
  }

  /** Runs {@code task} on the port's thread, unless the port is closed. */
  private void run(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("port closed; dropped an event");
    }
  }

  private void call(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.error("port mapping listener failed", e);
    }
  }

  /**
   * Stops looking and deletes the mapping from the router. Idempotent; waits for the delete (a
   * few seconds at most), so that a JVM shutting down still removes it.
   */
  @Override
  public void close() {
    HeldMapping h;
    synchronized (this) {
      if (closed) return;
      closed = true;
      h = held;
      held = null;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // shutting down: the hook's close() finds closed set and returns
      }
    }
    closeWatchers();
    thread.shutdown(); // an attempt in progress deletes what it maps, seeing `closed`
    if (h != null) h.close();
  }
}
