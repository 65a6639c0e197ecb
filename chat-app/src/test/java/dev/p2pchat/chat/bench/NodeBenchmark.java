package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.ChatView;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.NodeConfig;
import dev.p2pchat.chat.node.PortForwarding;
import dev.p2pchat.chat.node.TestNode;
import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.PeerVerifier;
import dev.p2pchat.chat.trust.SecuredConnection;
import dev.p2pchat.chat.trust.TlsEndpoint;
import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.MessageCodec;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Whole nodes on 127.0.0.1, each figure beside a baseline of plain sockets measured in the same
 * run, rounds of the two interleaved so that the machine's noise falls on both:
 *
 * <p>Every node connection is TLS 1.3 with a key per node, as in the program.
 *
 * <ul>
 *   <li>set-up: a new peer (its key made beforehand) connects to a warm node: TCP, TLS 1.3 with
 *       both certificates, both hellos, until the node shows it joined; baseline: TCP connect and
 *       one line each way over a plain socket;
 *   <li>throughput: lines Alice's node sends Bob's and Bob's acknowledges, per second, Alice
 *       keeping at most {@value #WINDOW} unacknowledged (inbound rate limits lifted); baseline:
 *       the same frames as raw lines one way over one socket;
 *   <li>paced round trip: one line every {@value #PACE_MS} ms (default configuration), from
 *       {@code broadcast} until its ack is in; baseline: a line echoed over a socket;
 *   <li>fan-out: one node with {@value #FAN_OUT_PEERS} peers over TLS, one broadcast every 20 ms,
 *       until the last peer has read it; baseline, in turn with the node: as many plain sockets,
 *       to each of which the calling thread writes the frame; every peer, TLS or plain, is read
 *       by a thread of its own;
 *   <li>idle memory: the resident set of {@code java -jar chat-app/target/p2p-chat.jar} started
 *       with {@code --no-upnp} after it settles; baseline: a JVM that only sleeps.
 * </ul>
 *
 * <p>Arguments: {@code [lines per throughput round, default 200000] [rounds, default 5]}.
 */
public final class NodeBenchmark {
  static final int WINDOW = 512;
  static final int PACE_MS = 7;
  static final int PACED_LINES = 300;
  static final int FAN_OUT_PEERS = 200;
  static final int BROADCASTS = 100;
  static final int SET_UPS = 100;
  static final String TEXT = "the quick brown fox jumps over the lazy dog, 0123456789";

  private NodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.printf("p2p-chat nodes on 127.0.0.1, %d rounds, %d cores, load %.2f%n", rounds,
        Runtime.getRuntime().availableProcessors(), loadAverage());

    double[] raw = new double[rounds];
    double[] nodes = new double[rounds];
    List<Long> rawRtt = new ArrayList<>();
    List<Long> nodeRtt = new ArrayList<>();
    try (NodePair fast = new NodePair(true); NodePair paced = new NodePair(false)) {
      rawLines(lines / 4);
      fast.throughput(lines / 4); // warm-up
      paced.roundTrips(20, new ArrayList<>());
      for (int r = 0; r < rounds; r++) {
        raw[r] = rawLines(lines);
        nodes[r] = fast.throughput(lines);
        rawEcho(PACED_LINES / rounds, rawRtt);
        paced.roundTrips(PACED_LINES / rounds, nodeRtt);
      }
    }
    System.out.printf("throughput, lines/s: raw socket lines %,.0f; nodes, acknowledged %,.0f;"
        + " ratio %.2f (medians of %d rounds)%n", median(raw), median(nodes),
        median(nodes) / median(raw), rounds);
    System.out.println("paced round trip (one line every " + PACE_MS + " ms), µs: raw echo "
        + percentiles(rawRtt) + "; nodes " + percentiles(nodeRtt));

    List<Long> plainSetUp = new ArrayList<>();
    List<Long> tlsSetUp = new ArrayList<>();
    setUps(SET_UPS, rounds, plainSetUp, tlsSetUp);
    System.out.println("set-up with a new peer, µs: plain TCP + a line each way " + percentiles(plainSetUp)
        + "; node, TCP + TLS 1.3 + hellos until joined " + percentiles(tlsSetUp));

    List<Long> rawFan = new ArrayList<>();
    List<Long> nodeFan = new ArrayList<>();
    fanOut(rawFan, nodeFan);
    System.out.println("fan-out to " + FAN_OUT_PEERS + " peers, µs: raw writes " + percentiles(rawFan)
        + "; node " + percentiles(nodeFan));

    long floor = residentKib(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
        Sleeper.class.getName()));
    long node = residentKib(List.of(javaBin(), "-jar", "chat-app/target/p2p-chat.jar", "--no-upnp",
        "--port", "0", "--nick", "idle", "--log-file", Files.createTempFile("idle", ".log").toString()));
    System.out.printf("idle RSS: JVM that sleeps %.1f MB; node %.1f MB%n", floor / 1024.0, node / 1024.0);
    System.out.printf("load at the end %.2f%n", loadAverage());
    System.exit(0);
  }

  /** Two nodes on 127.0.0.1, Alice connected to Bob. */
  static final class NodePair implements AutoCloseable {
    final Node alice;
    final Node bob;
    final AtomicLong bobReceived = new AtomicLong();

    NodePair(boolean unlimited) throws Exception {
      alice = start(config("alice", unlimited), event -> { });
      bob = start(config("bob", unlimited), event -> {
        if (event instanceof ChatEvent.Chat chat && !chat.outgoing()) bobReceived.incrementAndGet();
      });
      alice.connect(dev.p2pchat.protocol.HostPort.parse("127.0.0.1:" + bob.port()));
      await(() -> alice.peers().size() == 1 && bob.peers().size() == 1, "the handshake");
    }

    /** Lines per second, each shown by Bob and acknowledged to Alice. */
    double throughput(int lines) {
      long before = bobReceived.get();
      long start = System.nanoTime();
      for (int i = 0; i < lines; i++) {
        while (alice.unconfirmedCount() >= WINDOW) LockSupport.parkNanos(20_000);
        alice.broadcast(TEXT);
      }
      await(() -> alice.unconfirmedCount() == 0, "the acks");
      double rate = lines / ((System.nanoTime() - start) / 1e9);
      if (bobReceived.get() - before != lines) throw new IllegalStateException("lines lost");
      return rate;
    }

    void roundTrips(int count, List<Long> nanos) {
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        alice.broadcast(TEXT);
        while (alice.unconfirmedCount() > 0) LockSupport.parkNanos(10_000);
        nanos.add(System.nanoTime() - start);
        LockSupport.parkNanos(start + PACE_MS * 1_000_000L - System.nanoTime());
      }
    }

    @Override
    public void close() {
      alice.close();
      bob.close();
    }
  }

  static NodeConfig config(String nick, boolean unlimited) {
    NodeConfig.Builder b = NodeConfig.builder(nick).bindAddress(InetAddress.getLoopbackAddress())
        .port(0, false).ackTimeout(Duration.ofSeconds(60));
    if (unlimited) b.inboundRate(100_000_000, 100_000_000);
    return b.build();
  }

  static Node start(NodeConfig config, ChatView view) throws IOException {
    Node node = TestNode.node(config, view, PortForwarding.none());
    node.start();
    return node;
  }

  /**
   * Connection set-ups, plain and to a warm node, in turns: {@code count} of each per round, the
   * first round warming up.
   */
  static void setUps(int count, int rounds, List<Long> plain, List<Long> node) throws Exception {
    AtomicLong joined = new AtomicLong();
    Node hub = start(config("hub", false), event -> {
      if (event instanceof ChatEvent.PeerJoined) joined.incrementAndGet();
    });
    byte[] hello = MessageCodec.frame(Hello.of("newcomer", "bench", null));
    List<Identity> keys = new ArrayList<>();
    for (int i = 0; i < count * (rounds + 1); i++) keys.add(Identity.generate());
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread echoer = new Thread(() -> {
        while (!echo.isClosed()) {
          try (Socket s = echo.accept()) {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(hello);
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
          } catch (IOException e) {
            // closed
          }
        }
      }, "bench-echo");
      echoer.setDaemon(true);
      echoer.start();
      for (int r = 0; r <= rounds; r++) {
        for (int i = 0; i < count; i++) {
          long start = System.nanoTime();
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), echo.getLocalPort())) {
            s.setTcpNoDelay(true);
            s.getOutputStream().write(hello);
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (r > 0) plain.add(System.nanoTime() - start);
          }
          TlsEndpoint tls = new TlsEndpoint(keys.get(r * count + i), Duration.ofSeconds(5));
          long before = joined.get();
          start = System.nanoTime();
          Socket tcp = new Socket(InetAddress.getLoopbackAddress(), hub.port());
          tcp.setTcpNoDelay(true);
          SecuredConnection secured = tls.secureDialled(tcp, PeerVerifier.firstUse());
          secured.socket().getOutputStream().write(hello);
          new BufferedReader(new InputStreamReader(secured.socket().getInputStream(), StandardCharsets.UTF_8)).readLine();
          await(() -> joined.get() > before, "the join");
          if (r > 0) node.add(System.nanoTime() - start);
          tcp.close();
        }
      }
    } finally {
      hub.close();
    }
  }

  /** Raw lines per second over one loopback socket: the same frames, no codec, no acks. */
  static double rawLines(int lines) throws Exception {
    byte[] frame = MessageCodec.frame(new ChatMessage("q8Zx3vT0bWk_R2mYc9LdHA", "alice", TEXT,
        System.currentTimeMillis(), null));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket out = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket in = server.accept()) {
      out.setTcpNoDelay(true);
      AtomicLong read = new AtomicLong();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in.getInputStream(), StandardCharsets.UTF_8))) {
          while (r.readLine() != null) read.incrementAndGet();
        } catch (IOException e) {
          // closed
        }
      });
      reader.start();
      long start = System.nanoTime();
      OutputStream o = new BufferedOutputStream(out.getOutputStream(), 65536);
      for (int i = 0; i < lines; i++) o.write(frame);
      o.flush();
      await(() -> read.get() == lines, "raw lines");
      return lines / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Round trips of one line echoed over plain loopback sockets, paced as the nodes are. */
  static void rawEcho(int count, List<Long> nanos) throws Exception {
    byte[] frame = MessageCodec.frame(new ChatMessage("1", "alice", TEXT, 0, null));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket echo = server.accept()) {
      client.setTcpNoDelay(true);
      echo.setTcpNoDelay(true);
      Thread echoer = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8))) {
          OutputStream o = echo.getOutputStream();
          for (String l = r.readLine(); l != null; l = r.readLine()) o.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          // closed
        }
      });
      echoer.start();
      BufferedReader back = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        client.getOutputStream().write(frame);
        back.readLine();
        nanos.add(System.nanoTime() - start);
        LockSupport.parkNanos(start + PACE_MS * 1_000_000L - System.nanoTime());
      }
    }
  }

  /**
   * Fan-out latencies, raw writes and the node's broadcasts taking turns every 10 ms. The peers
   * stand for other machines, so they cost this one as little as they can: one thread reads all
   * of them.
   */
  static void fanOut(List<Long> raw, List<Long> node) throws Exception {
    Node hub = start(NodeConfig.builder("hub").bindAddress(InetAddress.getLoopbackAddress()).port(0, false)
        .build(), event -> { });
    List<Socket> rawSockets = new ArrayList<>();
    try (ServerSocket bare = new ServerSocket(0, FAN_OUT_PEERS, InetAddress.getLoopbackAddress());
        Peers peers = new Peers(2 * BROADCASTS + 1)) {
      for (int i = 0; i < FAN_OUT_PEERS; i++) {
        peers.connectTls(hub.port(), "p" + i);
        peers.connectPlain(bare.getLocalPort());
        Socket accepted = bare.accept();
        accepted.setTcpNoDelay(true);
        rawSockets.add(accepted);
      }
      await(() -> hub.peers().size() == FAN_OUT_PEERS, "the peers");
      for (int b = 1; b <= 2 * BROADCASTS; b++) {
        boolean viaNode = b % 2 == 0;
        String text = "fan-out #" + b;
        long start = System.nanoTime();
        if (viaNode) {
          hub.broadcast(text);
        } else {
          byte[] frame = MessageCodec.frame(new ChatMessage("r" + b, "hub", text, System.currentTimeMillis(), null));
          for (Socket s : rawSockets) s.getOutputStream().write(frame);
        }
        int index = b;
        await(() -> peers.arrived.get(index) == FAN_OUT_PEERS, "broadcast " + b);
        if (b > 20) (viaNode ? node : raw).add(peers.last.get(index) - start); // the first ones warm up
        LockSupport.parkNanos(start + 10_000_000L - System.nanoTime());
      }
    } finally {
      hub.close();
      for (Socket s : rawSockets) s.close();
    }
  }

  /**
   * Peers, each read by a thread of its own: those over TLS shake hands and ack each line; each
   * records when a line arrived.
   */
  static final class Peers implements AutoCloseable {
    final AtomicIntegerArray arrived;
    final AtomicLongArray last;
    private final List<Socket> sockets = new ArrayList<>();

    Peers(int broadcasts) {
      arrived = new AtomicIntegerArray(broadcasts);
      last = new AtomicLongArray(broadcasts);
    }

    void connectTls(int port, String nick) throws IOException {
      Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port);
      tcp.setTcpNoDelay(true);
      Socket tls = new TlsEndpoint(Identity.generate(), Duration.ofSeconds(10))
          .secureDialled(tcp, PeerVerifier.firstUse()).socket();
      tls.getOutputStream().write(MessageCodec.frame(Hello.of(nick, "bench", null)));
      start(tls, tcp, true);
    }

    void connectPlain(int port) throws IOException {
      Socket tcp = new Socket(InetAddress.getLoopbackAddress(), port);
      tcp.setTcpNoDelay(true);
      start(tcp, tcp, false);
    }

    private void start(Socket socket, Socket tcp, boolean acks) {
      sockets.add(tcp);
      Thread reader = new Thread(() -> read(socket, acks), "bench-peer");
      reader.setDaemon(true);
      reader.start();
    }

    private void read(Socket socket, boolean acks) {
      try {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          long now = System.nanoTime();
          if (!(MessageCodec.decode(line) instanceof ChatMessage chat)) continue;
          int b = Integer.parseInt(chat.text().substring("fan-out #".length()));
          last.accumulateAndGet(b, now, Math::max);
          arrived.incrementAndGet(b);
          if (acks) out.write(MessageCodec.frame(new Ack(chat.id())));
        }
      } catch (Exception e) {
        // closed
      }
    }

    @Override
    public void close() throws IOException {
      for (Socket s : sockets) s.close();
    }
  }

  /** The resident set of {@code command} a few seconds after it printed its first line, in KiB. */
  static long residentKib(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      Thread.sleep(5000);
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
      throw new IllegalStateException("no VmRSS for " + command);
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  /** The baseline JVM for idle memory: says it is up, then sleeps. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("sleeping");
      Thread.sleep(60_000);
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static void await(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
      LockSupport.parkNanos(20_000);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static String percentiles(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format("p50 %.0f, p99 %.0f (n=%d)", sorted[sorted.length / 2] / 1e3,
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.99 * sorted.length) - 1)] / 1e3, sorted.length);
  }

  static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
