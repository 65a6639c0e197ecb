package dev.p2pchat.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real-router lab made of Linux network namespaces: an internet segment (a bridge) with a
 * plain host on it, and two homes, each a LAN host behind a NAT router running miniupnpd.
 *
 * <pre>
 *   internet 5.6.7.100/24 (bridge)
 *     ├── router A wan 5.6.7.1 ── lan 192.168.1.1/24 ── host A 192.168.1.10
 *     └── router B wan 5.6.7.2 ── lan 192.168.2.1/24 ── host B 192.168.2.10
 * </pre>
 *
 * <p>Nothing is created in the machine's own namespace. {@link #close()} kills every process in
 * the lab's namespaces and deletes them; a shutdown hook does the same if the JVM stops first,
 * and {@link #create()} sweeps away labs left by JVMs that died without either.
 */
public final class Lab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lab.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

  private static final String INTERNET_ADDRESS = "5.6.7.100";
  private static final int WAN_PREFIX = 24;
  private static final String HOST_INTERFACE = "eth0";

  private final String id;
  private final Path dir;
  private final Host internet;
  private final Home homeA;
  private final Home homeB;
  private final List<String> namespaces;
  private final Thread shutdownHook;
  private boolean closed;

  private Lab(String id, Path dir) {
    this.id = id;
    this.dir = dir;
    this.internet = new Host(id + "-in", INTERNET_ADDRESS);
    this.homeA = home("a", "5.6.7.1", "192.168.1");
    this.homeB = home("b", "5.6.7.2", "192.168.2");
    this.namespaces = List.of(internet.namespace(), homeA.router().namespace(),
        homeA.host().namespace(), homeB.router().namespace(), homeB.host().namespace());
    this.shutdownHook = new Thread(this::close, id + "-teardown");
  }

  private Home home(String letter, String wanAddress, String lan) {
    Host host = new Host(id + "-h" + letter, lan + ".10");
    Router router = new Router(letter.toUpperCase(), id + "-r" + letter, wanAddress, lan + ".1",
        lan + ".0/24", host, dir);
    return new Home(host, router);
  }

  /**
   * Builds the whole lab and returns once both routers' miniupnpd answer on their LANs.
   *
   * @throws IOException if this machine cannot run a lab ({@link #unavailableReason()}) or a
   *     step fails; whatever was built is torn down again
   */
  public static Lab create() throws IOException {
    Optional<String> unavailable = unavailableReason();
    if (unavailable.isPresent()) {
      throw new IOException("cannot build the lab: " + unavailable.get());
    }
    long started = System.nanoTime();
    Path tempRoot = Path.of(System.getProperty("java.io.tmpdir"));
    Namespaces.sweepStale(tempRoot);
    String id = Namespaces.PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.getAndIncrement();
    Lab lab = new Lab(id, Files.createTempDirectory(tempRoot, id + "-"));
    Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
    try {
      lab.build();
    } catch (IOException | RuntimeException | Error e) {
      lab.close();
      throw e;
    }
    log.info("lab {} ready in {} ms", id, (System.nanoTime() - started) / 1_000_000);
    return lab;
  }

  /** Why no lab can be built here (not root, not Linux, a tool missing), or empty if one can. */
  public static Optional<String> unavailableReason() {
    return Tools.unavailableReason();
  }

  /** Home A: host 192.168.1.10 behind router 5.6.7.1. */
  public Home homeA() {
    return homeA;
  }

  /** Home B: host 192.168.2.10 behind router 5.6.7.2. */
  public Home homeB() {
    return homeB;
  }

  /** A host on the internet segment itself, 5.6.7.100, behind no NAT. */
  public Host internet() {
    return internet;
  }

  /** The lab's name, {@code p2pl-<pid>-<n>}: every namespace name of the lab starts with it. */
  public String id() {
    return id;
  }

  /** The names of all the lab's network namespaces. */
  public List<String> namespaces() {
    return namespaces;
  }

  /**
   * Kills every process in the lab's namespaces (miniupnpd and whatever tests started there),
   * deletes the namespaces with their links and removes the lab's files. Safe to call again.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; this may be the hook itself running.
    }
    // An interrupted thread must still tear down: clear the flag, which would abort every wait.
    boolean interrupted = Thread.interrupted();
    try {
      homeA.router().stop();
      homeB.router().stop();
      Namespaces.destroy(namespaces);
      Namespaces.deleteTree(dir);
      log.info("lab {} torn down", id);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "lab " + id;
  }

  private void build() throws IOException {
    StringBuilder links = new StringBuilder();
    namespaces.forEach(ns -> links.append("netns add ").append(ns).append('\n'));
    for (Home home : List.of(homeA, homeB)) {
      String router = home.router().namespace();
      // Each veth is born with both ends already inside lab namespaces.
      links.append("link add ").append(Router.WAN_INTERFACE).append(" netns ").append(router)
          .append(" type veth peer name ").append(bridgePort(home))
          .append(" netns ").append(internet.namespace()).append('\n');
      links.append("link add ").append(Router.LAN_INTERFACE).append(" netns ").append(router)
          .append(" type veth peer name ").append(HOST_INTERFACE)
          .append(" netns ").append(home.host().namespace()).append('\n');
    }
    ip(null, links.toString());

    ip(internet.namespace(), lines(
        "link set lo up",
        "link add br0 type bridge",
        "link set br0 up",
        "addr add " + INTERNET_ADDRESS + "/" + WAN_PREFIX + " dev br0",
        "link set " + bridgePort(homeA) + " master br0",
        "link set " + bridgePort(homeA) + " up",
        "link set " + bridgePort(homeB) + " master br0",
        "link set " + bridgePort(homeB) + " up"));
    for (Home home : List.of(homeA, homeB)) {
      Router router = home.router();
      ip(router.namespace(), lines(
          "link set lo up",
          "addr add " + router.wanAddress() + "/" + WAN_PREFIX + " dev " + Router.WAN_INTERFACE,
          "link set " + Router.WAN_INTERFACE + " up",
          "addr add " + router.lanAddress() + "/24 dev " + Router.LAN_INTERFACE,
          "link set " + Router.LAN_INTERFACE + " up",
          "route add default via " + INTERNET_ADDRESS));
      // The default route also carries multicast (SSDP's 239.255.255.250) out of the LAN link.
      ip(home.host().namespace(), lines(
          "link set lo up",
          "addr add " + home.host().address() + "/24 dev " + HOST_INTERFACE,
          "link set " + HOST_INTERFACE + " multicast on up",
          "route add default via " + router.lanAddress()));
      router.configure();
    }
    homeA.router().start();
    homeB.router().start();
    homeA.router().awaitReady();
    homeB.router().awaitReady();
  }

  /** The bridge's end of a router's WAN link, in the internet namespace. */
  private static String bridgePort(Home home) {
    return "wan-" + home.router().label().toLowerCase(Locale.ROOT);
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /** Runs an {@code ip -batch} script, inside {@code namespace} unless it is null. */
  private static void ip(String namespace, String script) throws IOException {
    ProcessBuilder command = namespace == null
        ? new ProcessBuilder(Tools.path("ip"), "-batch", "-")
        : new ProcessBuilder(Tools.path("ip"), "-n", namespace, "-batch", "-");
    CommandRunner.check(command, script, IP_TIMEOUT);
  }
}
