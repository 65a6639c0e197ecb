package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.Node;
import dev.p2pchat.chat.bench.Loopback.CountingView;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.MessageCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Chat lines per second from Alice to Bob on 127.0.0.1, counted as Bob's node shows them, each
 * acknowledged back to Alice as always. Alice keeps at most {@link #WINDOW} lines unacknowledged
 * (about 430 KB), so that what her socket cannot take at once stays far under the outgoing queue
 * (1024 chunks of up to 8 KB) past which a peer is dropped as too slow, while acks have time to
 * come back before she has to wait for them (the baselines never wait); the per-peer inbound rate
 * limit (200 frames/s by default, a flood guard) is lifted so that the node's own speed shows.
 *
 * <p>Baselines in the same run, over plain loopback sockets: the same JSON lines (ids as the node
 * makes them, see {@link Loopback#line}) written through a buffered stream and read as lines (the
 * transport), and the same messages written with the protocol's FrameWriter and decoded with its
 * FrameReader (transport plus codec).
 *
 * <p>Each of the three runs in a JVM of its own, as JMH forks one per benchmark: in one JVM, the
 * codec baseline's use of FrameReader and FrameWriter left the JIT's profile of them shaped for it
 * and halved the nodes' rate for the rest of the run. The forks take turns, one round each, so
 * that the machine's ups and downs fall on all three alike, after whole warm-up rounds that are
 * not counted; the forks get this JVM's options. And as JMH does, each contender is measured in
 * several JVMs one after the other (three by default), each figure being the median of all their
 * rounds: on this 2-core VM a JVM often keeps one speed for good, and which one varies, as the
 * two threads of a baseline (or the four of the nodes) settle on the cores. Raw frames ran at
 * 4.7-4.9 M lines/s throughout in 2 of 8 JVMs and at 5.9-7.4 in the others; raw lines at about
 * 6 or about 8.5; pinned to one core, raw frames ran at 4.0, raw lines at 7.2, the nodes at 2.7.
 * A ratio of two single JVMs' figures could then swing by a third from one run to the next.
 *
 * <p>Arguments: {@code [messages per round, default 1000000] [rounds, default 5] [warm-up rounds,
 * default 10] [JVMs per contender, default 3]}; a round also stops after 5 s. Rounds of 200,000
 * lines took the raw-lines baseline 35-130 ms and measured it at 1.5-5 M lines/s from one run to
 * the next; a million lines give every contender a few hundred milliseconds of steady state. Each
 * contender speeds up for its first five to seven rounds, the nodes the most (1.0-1.3 M lines/s in
 * the first, about 4.5 from the seventh on). The methods that run once per write or per ack reach
 * the optimizing compiler only in the fourth or fifth round ({@code -XX:+PrintCompilation}), and
 * until then an ack takes long enough to come back that Alice waits for it a fifth to a third of a
 * round. Her waiting is printed with each round's CPU figures.
 */
public final class ThroughputBenchmark {
  static final int WINDOW = 4096;
  private static final int RAW_BUFFER = 65536;
  private static final long ROUND_LIMIT_NANOS = 5_000_000_000L;
  private static final String FORK = "--fork";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ThroughputBenchmark() {}

  /** What is measured, each in its own JVM. */
  private enum Contender {
    RAW_LINES("raw lines"),
    RAW_FRAMES("raw frames (codec)"),
    NODES("nodes");

    final String label;

    Contender(String label) {
      this.label = label;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals(FORK)) {
      serve(Contender.valueOf(args[1]), Integer.parseInt(args[2]));
      return;
    }
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmUps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int forksEach = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    System.out.println("throughput, Alice -> Bob, " + Loopback.TEXT.length() + "-character lines, 127.0.0.1");
    Map<Contender, List<Double>> rates = new EnumMap<>(Contender.class);
    for (Contender c : Contender.values()) rates.put(c, new ArrayList<>());
    for (int f = 1; f <= forksEach; f++) {
      Map<Contender, Fork> forks = new EnumMap<>(Contender.class);
      Map<Contender, List<Double>> forkRates = new EnumMap<>(Contender.class);
      try {
        for (Contender c : Contender.values()) {
          forks.put(c, new Fork(c, messages));
          forkRates.put(c, new ArrayList<>());
        }
        for (int r = 0; r < warmUps; r++) {
          for (Fork fork : forks.values()) fork.round();
        }
        for (int r = 0; r < rounds; r++) {
          StringBuilder line = new StringBuilder("  forks " + f + ", round " + (r + 1) + ":");
          for (Contender c : Contender.values()) {
            double rate = forks.get(c).round();
            forkRates.get(c).add(rate);
            line.append(String.format("   %s %,.0f/s", c.label, rate));
          }
          System.out.println(line);
        }
      } finally {
        for (Fork fork : forks.values()) fork.close();
      }
      StringBuilder medians = new StringBuilder("  forks " + f + ", medians:");
      for (Contender c : Contender.values()) {
        medians.append(String.format("   %s %,.0f/s", c.label, median(forkRates.get(c))));
        rates.get(c).addAll(forkRates.get(c));
      }
      System.out.println(medians);
    }
    double rawLines = median(rates.get(Contender.RAW_LINES));
    double rawFrames = median(rates.get(Contender.RAW_FRAMES));
    double node = median(rates.get(Contender.NODES));
    System.out.printf("medians: raw lines %,.0f msg/s   raw frames (codec) %,.0f msg/s   nodes %,.0f msg/s%n",
        rawLines, rawFrames, node);
    System.out.printf("nodes / raw lines %.2f   nodes / raw frames %.2f%n", node / rawLines, node / rawFrames);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  /** A JVM measuring one contender, a round each time it is asked; it ends when its input does. */
  private static final class Fork implements AutoCloseable {
    private final Contender contender;
    private final Process process;
    private final Writer commands;
    private final BufferedReader results;

    Fork(Contender contender, int messages) throws IOException {
      this.contender = contender;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          ThroughputBenchmark.class.getName(), FORK, contender.name(), Integer.toString(messages)));
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      results = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Runs one round in the fork; lines per second. */
    double round() throws IOException {
      commands.write("round\n");
      commands.flush();
      String result = results.readLine();
      if (result == null) throw new IOException("the " + contender.label + " fork ended");
      return Double.parseDouble(result);
    }

    @Override
    public void close() throws InterruptedException {
      try {
        commands.close();
      } catch (IOException e) {
        // gone already
      }
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  /** The fork's side: a round of {@code contender} per line read, its rate printed back. */
  private static void serve(Contender contender, int messages) throws Exception {
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (NodePair pair = contender == Contender.NODES ? new NodePair() : null) {
      while (commands.readLine() != null) {
        double rate;
        switch (contender) {
          case RAW_LINES:
            rate = rawLines(messages);
            break;
          case RAW_FRAMES:
            rate = rawFrames(messages);
            break;
          default:
            rate = pair.run(messages);
        }
        System.out.println(rate);
        System.out.flush();
      }
    }
  }

  /** Alice and Bob connected on loopback, rate limit lifted. */
  private static final class NodePair implements AutoCloseable {
    private final CountingView bobView = new CountingView();
    private final Node alice;
    private final Node bob;

    NodePair() throws IOException {
      CountingView aliceView = new CountingView();
      alice = Loopback.start(Loopback.config("alice", true), aliceView);
      bob = Loopback.start(Loopback.config("bob", true), bobView);
      alice.connect(Loopback.address(bob));
      Loopback.await(() -> aliceView.joined.get() == 1 && bobView.joined.get() == 1, 10, "handshake");
    }

    /** Sends up to {@code count} lines (5 s at most); returns lines per second shown by Bob. */
    double run(int count) {
      Map<String, long[]> cpuBefore = peerThreadsCpu();
      long senderCpuBefore = THREADS.getCurrentThreadCpuTime();
      long senderUserBefore = THREADS.getCurrentThreadUserTime();
      long before = bobView.received.get();
      long start = System.nanoTime();
      long deadline = start + ROUND_LIMIT_NANOS;
      int sent = 0;
      long waitedNanos = 0;
      while (sent < count && System.nanoTime() < deadline) {
        // Looked at every 64 lines, so that the harness's own work stays out of the figure.
        if (sent % 64 == 0) {
          if (alice.unconfirmedCount() > WINDOW - 64) {
            long waitStart = System.nanoTime();
            while (alice.unconfirmedCount() > WINDOW - 64) LockSupport.parkNanos(20_000);
            waitedNanos += System.nanoTime() - waitStart;
          }
        }
        if (alice.broadcast(Loopback.TEXT) != 1) throw new IllegalStateException("Bob is gone");
        sent++;
      }
      long target = before + sent;
      Loopback.await(() -> bobView.received.get() >= target, 30, "Bob to receive every line");
      long elapsed = System.nanoTime() - start;
      Loopback.await(() -> alice.unconfirmedCount() == 0, 30, "the last acks");
      int lines = sent;
      StringBuilder perThread = new StringBuilder(cpuPerLine("sender",
          THREADS.getCurrentThreadCpuTime() - senderCpuBefore, THREADS.getCurrentThreadUserTime() - senderUserBefore, lines));
      peerThreadsCpu().forEach((name, times) -> {
        long[] then = cpuBefore.getOrDefault(name, new long[2]);
        perThread.append(", ").append(cpuPerLine(name, times[0] - then[0], times[1] - then[1], lines));
      });
      System.err.printf("    nodes, CPU per line in µs (of which in the kernel): %s; Alice waited for acks %.0f of %.0f ms%n",
          perThread, waitedNanos / 1e6, elapsed / 1e6);
      return sent * 1e9 / elapsed;
    }

    private static String cpuPerLine(String thread, long cpuNanos, long userNanos, int lines) {
      return String.format("%s %.2f (%.2f)", thread, cpuNanos / 1e3 / lines, (cpuNanos - userNanos) / 1e3 / lines);
    }

    /** CPU time and user time so far of each peer reader and writer thread, by thread name. */
    private static Map<String, long[]> peerThreadsCpu() {
      Map<String, long[]> cpu = new TreeMap<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (!t.getName().startsWith("peer-")) continue;
        long nanos = THREADS.getThreadCpuTime(t.getId());
        long user = THREADS.getThreadUserTime(t.getId());
        if (nanos >= 0) cpu.put(t.getName().replace(" 127.0.0.1", ""), new long[] {nanos, user});
      }
      return cpu;
    }

    @Override
    public void close() {
      alice.close();
      bob.close();
    }
  }

  /**
   * Pre-encoded msg lines through a buffered stream, counted as lines on the other side. Its
   * buffers are 64 KiB, as large as the node's grow in a burst, so that the baseline makes no
   * more system calls than the node.
   */
  static double rawLines(int count) throws Exception {
    byte[] line = (MessageCodec.encode(Loopback.line("alice", count)) + "\n").getBytes(StandardCharsets.UTF_8);
    return overPlainSockets(count, out -> {
      OutputStream buffered = new BufferedOutputStream(out, RAW_BUFFER);
      for (int i = 0; i < count; i++) buffered.write(line);
      buffered.flush();
    }, (in, received) -> {
      BufferedReader reader = new BufferedReader(
          new InputStreamReader(new BufferedInputStream(in, RAW_BUFFER), StandardCharsets.UTF_8), RAW_BUFFER);
      while (reader.readLine() != null) received.incrementAndGet();
    });
  }

  /** Fresh msg messages encoded by FrameWriter and decoded by FrameReader. */
  static double rawFrames(int count) throws Exception {
    return overPlainSockets(count, out -> {
      FrameWriter writer = new FrameWriter(out);
      for (int i = 1; i <= count; i++) writer.write(Loopback.line("alice", i));
      writer.flush();
    }, (in, received) -> {
      FrameReader reader = new FrameReader(in);
      try {
        while (reader.read() != null) received.incrementAndGet();
      } catch (DecodeException e) {
        throw new IOException(e);
      }
    });
  }

  interface Writing {
    void write(OutputStream out) throws IOException;
  }

  interface Reading {
    void read(InputStream in, AtomicLong received) throws IOException;
  }

  /** Lines per second from the writer's first byte until the reader has counted {@code count}. */
  private static double overPlainSockets(int count, Writing writing, Reading reading) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket served = server.accept()) {
      client.setTcpNoDelay(true);
      served.setTcpNoDelay(true);
      AtomicLong received = new AtomicLong();
      Thread reader = new Thread(() -> {
        try {
          reading.read(served.getInputStream(), received);
        } catch (IOException e) {
          // closed
        }
      }, "raw-reader");
      reader.setDaemon(true);
      reader.start();
      long start = System.nanoTime();
      writing.write(client.getOutputStream());
      Loopback.await(() -> received.get() >= count, 30, "the raw reader");
      return count * 1e9 / (System.nanoTime() - start);
    }
  }
}
