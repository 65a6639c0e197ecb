package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.Node;
import dev.p2pchat.chat.bench.Loopback.CountingView;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.MessageCodec;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * makes them, see {@link Loopback#line}) written through
 * a buffered stream and read as lines (the transport), and the same messages written with the
 * protocol's FrameWriter and decoded with its FrameReader (transport plus codec). Rounds alternate
 * between the three; each line is the median of the rounds.
 *
 * <p>Arguments: {@code [messages per round, default 200000] [rounds, default 5]}; a round also
 * stops after 5 s.
 */
public final class ThroughputBenchmark {
  static final int WINDOW = 4096;
  private static final long ROUND_LIMIT_NANOS = 5_000_000_000L;

  private ThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println("throughput, Alice -> Bob, " + Loopback.TEXT.length() + "-character lines, 127.0.0.1");
    List<Double> lines = new ArrayList<>();
    List<Double> frames = new ArrayList<>();
    List<Double> nodes = new ArrayList<>();
    try (NodePair pair = new NodePair()) {
      rawLines(messages / 10); // warm-up
      rawFrames(messages / 10);
      pair.run(messages / 10);
      for (int r = 0; r < rounds; r++) {
        lines.add(rawLines(messages));
        frames.add(rawFrames(messages));
        nodes.add(pair.run(messages));
        System.out.printf("  round %d: raw lines %,.0f/s   raw frames %,.0f/s   nodes %,.0f/s%n",
            r + 1, lines.get(r), frames.get(r), nodes.get(r));
      }
    }
    double rawLines = median(lines);
    double rawFrames = median(frames);
    double node = median(nodes);
    System.out.printf("medians: raw lines %,.0f msg/s   raw frames (codec) %,.0f msg/s   nodes %,.0f msg/s%n",
        rawLines, rawFrames, node);
    System.out.printf("nodes / raw lines %.2f   nodes / raw frames %.2f%n", node / rawLines, node / rawFrames);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
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
      long before = bobView.received.get();
      long start = System.nanoTime();
      long deadline = start + ROUND_LIMIT_NANOS;
      int sent = 0;
      while (sent < count && System.nanoTime() < deadline) {
        while (alice.unconfirmedCount() >= WINDOW) LockSupport.parkNanos(20_000);
        if (alice.broadcast(Loopback.TEXT) != 1) throw new IllegalStateException("Bob is gone");
        sent++;
      }
      long target = before + sent;
      Loopback.await(() -> bobView.received.get() >= target, 30, "Bob to receive every line");
      long elapsed = System.nanoTime() - start;
      Loopback.await(() -> alice.unconfirmedCount() == 0, 30, "the last acks");
      return sent * 1e9 / elapsed;
    }

    @Override
    public void close() {
      alice.close();
      bob.close();
    }
  }

  /** Pre-encoded msg lines through a buffered stream, counted as lines on the other side. */
  static double rawLines(int count) throws Exception {
    byte[] line = (MessageCodec.encode(Loopback.line("alice", count)) + "\n").getBytes(StandardCharsets.UTF_8);
    return overPlainSockets(count, out -> {
      OutputStream buffered = new BufferedOutputStream(out);
      for (int i = 0; i < count; i++) buffered.write(line);
      buffered.flush();
    }, (in, received) -> {
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
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
