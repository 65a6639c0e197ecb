package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.Node;
import dev.p2pchat.chat.bench.Loopback.CountingView;
import dev.p2pchat.chat.bench.Loopback.Latencies;
import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.MessageCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a user feels: the time from sending a line until the peer's ack is back, one line at a
 * time, between two nodes on 127.0.0.1. The baseline, in the same run, is the bare transport: one
 * line each way over two plain loopback sockets with TCP_NODELAY, as the node sets it.
 *
 * <p>Two loads: back to back (the next line as soon as the ack is in; the per-peer inbound rate
 * limit is lifted for this) and paced (one line every 7 ms, under the default 200 frames/s
 * limit, default configuration), where the node's threads are idle between lines and must wake.
 *
 * <p>Rounds alternate between the baseline and the nodes, so noise from the rest of the machine
 * falls on both alike; the percentiles are over all rounds' samples.
 *
 * <p>Arguments: {@code [round trips back to back, default 20000] [paced, default 700]}.
 */
public final class RoundTripBenchmark {
  private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(7);
  private static final int ROUNDS = 5;

  private RoundTripBenchmark() {}

  public static void main(String[] args) throws Exception {
    int backToBack = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int paced = args.length > 1 ? Integer.parseInt(args[1]) : 700;
    System.out.println("round trip, msg -> ack, one line at a time, 127.0.0.1");

    try (RawEcho raw = new RawEcho();
        NodePair fast = new NodePair(true);
        NodePair defaults = new NodePair(false)) {
      raw.measure(backToBack / 4, 0); // warm-up
      fast.measure(backToBack / 4, 0);
      defaults.measure(50, PACE_NANOS);
      Samples rawFast = new Samples();
      Samples nodeFast = new Samples();
      Samples rawPaced = new Samples();
      Samples nodePaced = new Samples();
      for (int round = 0; round < ROUNDS; round++) {
        rawFast.add(raw.measure(backToBack / ROUNDS, 0));
        nodeFast.add(fast.measure(backToBack / ROUNDS, 0));
        rawPaced.add(raw.measure(paced / ROUNDS, PACE_NANOS));
        nodePaced.add(defaults.measure(paced / ROUNDS, PACE_NANOS));
      }
      report("back to back (inbound rate limit lifted)", rawFast.latencies(), nodeFast.latencies());
      report("paced, one line every 7 ms (default configuration)", rawPaced.latencies(),
          nodePaced.latencies());
    }
  }

  /** Latencies gathered over several rounds. */
  private static final class Samples {
    private long[] all = new long[0];

    void add(long[] more) {
      long[] joined = Arrays.copyOf(all, all.length + more.length);
      System.arraycopy(more, 0, joined, all.length, more.length);
      all = joined;
    }

    Latencies latencies() {
      return new Latencies(all);
    }
  }

  private static void report(String load, Latencies raw, Latencies node) {
    System.out.println(load + ":");
    System.out.println("  raw sockets  " + raw.summary());
    System.out.println("  nodes        " + node.summary());
    System.out.printf("  node / raw   p50 %.1fx   p99 %.1fx   p99.9 %.1fx%n",
        node.micros(0.5) / raw.micros(0.5), node.micros(0.99) / raw.micros(0.99),
        node.micros(0.999) / raw.micros(0.999));
  }

  /** Sleeps (parks) until {@code next}, then returns the time of the next slot. */
  private static long pace(long next, long paceNanos) {
    if (paceNanos == 0) return 0;
    long wait;
    while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
    return next + paceNanos;
  }

  /** Alice and Bob connected on loopback; Alice sends, the ack comes back from Bob. */
  private static final class NodePair implements AutoCloseable {
    private final Node alice;
    private final Node bob;

    NodePair(boolean unlimited) throws IOException {
      CountingView aliceView = new CountingView();
      CountingView bobView = new CountingView();
      alice = Loopback.start(Loopback.config("alice", unlimited), aliceView);
      bob = Loopback.start(Loopback.config("bob", unlimited), bobView);
      alice.connect(Loopback.address(bob));
      Loopback.await(() -> aliceView.joined.get() == 1 && bobView.joined.get() == 1, 10, "handshake");
    }

    long[] measure(int count, long paceNanos) {
      long[] nanos = new long[count];
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        next = pace(next, paceNanos);
        long start = System.nanoTime();
        alice.broadcast(Loopback.TEXT);
        // No park: its own wake-up time would be measured. Yield, so the node's threads get the core.
        while (alice.unconfirmedCount() != 0) Thread.yield();
        nanos[i] = System.nanoTime() - start;
      }
      return nanos;
    }

    @Override
    public void close() {
      alice.close();
      bob.close();
    }
  }

  /** One msg line out, one ack line back, over plain sockets: the transport alone. */
  private static final class RawEcho implements AutoCloseable {
    /** A line as the node's would be some way into a run. */
    private final ChatMessage sample = Loopback.line("alice", 20_000);
    private final byte[] msg = line(MessageCodec.encode(sample));
    private final byte[] ack = line(MessageCodec.encode(new Ack(sample.id())));
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Socket client;
    private final OutputStream out;
    private final BufferedReader in;
    private final Thread echo;

    RawEcho() throws IOException {
      client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      client.setTcpNoDelay(true);
      Socket served = server.accept();
      served.setTcpNoDelay(true);
      out = client.getOutputStream();
      in = reader(client);
      echo = new Thread(() -> answer(served), "raw-echo");
      echo.setDaemon(true);
      echo.start();
    }

    private void answer(Socket served) {
      try (BufferedReader lines = reader(served); OutputStream reply = served.getOutputStream()) {
        while (lines.readLine() != null) reply.write(ack);
      } catch (IOException e) {
        // closed
      }
    }

    long[] measure(int count, long paceNanos) throws IOException {
      long[] nanos = new long[count];
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        next = pace(next, paceNanos);
        long start = System.nanoTime();
        out.write(msg);
        if (in.readLine() == null) throw new IOException("echo closed");
        nanos[i] = System.nanoTime() - start;
      }
      return nanos;
    }

    private static BufferedReader reader(Socket s) throws IOException {
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static byte[] line(String json) {
      return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      client.close();
      server.close();
    }
  }
}
