package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.Node;
import dev.p2pchat.chat.NodeConfig;
import dev.p2pchat.chat.bench.Loopback.CountingView;
import dev.p2pchat.chat.bench.Loopback.Latencies;
import dev.p2pchat.protocol.MessageCodec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * One node (the hub, default configuration) with many peers on 127.0.0.1, broadcasting one line
 * every 10 ms (under the default inbound rate limit, since every peer acks every line). Reports
 * the fan-out latency — from the {@code broadcast} call until the last peer has read the line —
 * and what the peers cost the hub: heap after GC and threads.
 *
 * <p>The baseline, in the same run: the same peers connected to a bare accept loop, and a loop in
 * the calling thread that encodes the line once (as the node does) and writes it to each socket. Its heap is also subtracted from the hub's, since the peers live in
 * this JVM too.
 *
 * <p>Arguments: {@code [peers, default 200] [broadcasts, default 200]}. A node accepts at most
 * {@link NodeConfig#maxPeers()} peers (256 by default): the ones over that are tried last and
 * reported as refused.
 */
public final class FanOutBenchmark {
  private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int WARM_UP = 50;

  private FanOutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int wanted = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int broadcasts = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    NodeConfig config = Loopback.config("hub", false);
    int accepted = Math.min(wanted, config.maxPeers());
    System.out.println("fan-out: one node, " + wanted + " peers asked for, 127.0.0.1");

    Arrivals arrivals = new Arrivals();
    Latencies bare;
    long peersOnly;
    try (BareHub hub = new BareHub()) {
      long before = Loopback.usedHeapAfterGc();
      List<BenchPeer> peers = connect(hub.port(), 0, accepted, arrivals);
      Loopback.await(() -> hub.count() == accepted, 10, "the bare accept loop");
      peersOnly = Loopback.usedHeapAfterGc() - before;
      bare = fanOut(hub::broadcast, accepted, broadcasts, arrivals, () -> true);
      closeAll(peers);
    }

    CountingView view = new CountingView();
    Node hub = Loopback.start(config, view);
    try {
      long heapAlone = Loopback.usedHeapAfterGc();
      int threadsAlone = ManagementFactory.getThreadMXBean().getThreadCount();
      List<BenchPeer> peers = connect(hub.port(), 0, accepted, arrivals);
      Loopback.await(() -> view.joined.get() == accepted, 10, "every peer to join");

      long heapWithPeers = Loopback.usedHeapAfterGc();
      int threadsWithPeers = ManagementFactory.getThreadMXBean().getThreadCount();
      long hubThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("peer-")).count();
      System.out.printf("heap after GC: node alone %.1f MB; with %d peers +%.1f MB, of which the bench "
              + "peers' own %.1f MB (measured on the bare loop): the node %.1f KB per peer%n",
          mb(heapAlone), accepted, mb(heapWithPeers - heapAlone), mb(peersOnly),
          (heapWithPeers - heapAlone - peersOnly) / 1024.0 / accepted);
      System.out.printf("threads: %d alone, %d with peers: %d of the node (%.1f per peer), %d of the bench peers%n",
          threadsAlone, threadsWithPeers, hubThreads, (double) hubThreads / accepted, accepted);

      Latencies node = fanOut(() -> hub.broadcast(Loopback.TEXT), accepted, broadcasts, arrivals,
          () -> hub.unconfirmedCount() == 0);
      System.out.println("broadcast -> last of " + accepted + " peers has read it:");
      System.out.println("  bare loop   " + bare.summary());
      System.out.println("  node        " + node.summary());
      System.out.printf("  node / bare p50 %.1fx   p99 %.1fx%n",
          node.micros(0.5) / bare.micros(0.5), node.micros(0.99) / bare.micros(0.99));

      List<BenchPeer> extra = connect(hub.port(), accepted, wanted - accepted, arrivals);
      Loopback.await(() -> extra.stream().allMatch(p -> p.byeReason() != null), 10,
          "the peers over the limit to be told");
      System.out.printf("%d more peers: %d refused%s; the node still has %d%n", extra.size(), extra.size(),
          extra.isEmpty() ? "" : " with bye \"" + extra.get(0).byeReason() + "\"", hub.peers().size());
      closeAll(peers);
      closeAll(extra);
    } finally {
      hub.close();
    }
  }

  private static List<BenchPeer> connect(int port, int first, int count, Arrivals arrivals)
      throws IOException {
    List<BenchPeer> peers = new ArrayList<>();
    for (int i = first; i < first + count; i++) peers.add(new BenchPeer(port, "peer" + i, arrivals));
    return peers;
  }

  private static void closeAll(List<BenchPeer> peers) throws IOException {
    for (BenchPeer p : peers) p.close();
  }

  interface Broadcast {
    int send() throws IOException;
  }

  /**
   * Broadcasts {@code broadcasts} lines (after a warm-up), one every 10 ms, and returns the times
   * until the last of {@code peers} had each; {@code settled} says when the next may go.
   */
  private static Latencies fanOut(Broadcast broadcast, int peers, int broadcasts, Arrivals arrivals,
      BooleanSupplier settled) throws Exception {
    long[] lastPeer = new long[broadcasts];
    long next = System.nanoTime();
    for (int b = -WARM_UP; b < broadcasts; b++) {
      long wait;
      while ((wait = next - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
      next += PACE_NANOS;
      arrivals.expect(peers);
      long start = System.nanoTime();
      if (broadcast.send() != peers) throw new IllegalStateException("a peer is gone");
      long last = arrivals.await();
      if (b >= 0) lastPeer[b] = last - start;
      Loopback.await(settled, 10, "every ack");
    }
    return new Latencies(lastPeer);
  }

  /** When the last of the expected peers read the current line. */
  private static final class Arrivals implements LongConsumer {
    private final AtomicLong last = new AtomicLong();
    private volatile CountDownLatch pending = new CountDownLatch(0);

    void expect(int peers) {
      last.set(0);
      pending = new CountDownLatch(peers);
    }

    @Override
    public void accept(long nanoTime) {
      last.accumulateAndGet(nanoTime, Math::max);
      pending.countDown();
    }

    long await() throws InterruptedException {
      if (!pending.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("a peer got nothing");
      return last.get();
    }
  }

  /** Accepts peers and holds their sockets; broadcasts by writing to each in turn. */
  private static final class BareHub implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new ArrayList<>();
    private long broadcasts;

    BareHub() throws IOException {
      Thread acceptor = new Thread(this::acceptLoop, "bare-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    synchronized int count() {
      return held.size();
    }

    private void acceptLoop() {
      try {
        while (true) {
          Socket s = server.accept();
          s.setTcpNoDelay(true);
          synchronized (this) {
            held.add(s);
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    synchronized int broadcast() throws IOException {
      byte[] line = (MessageCodec.encode(Loopback.line("hub", ++broadcasts)) + "\n").getBytes(StandardCharsets.UTF_8);
      for (Socket s : held) s.getOutputStream().write(line);
      return held.size();
    }

    @Override
    public synchronized void close() throws IOException {
      server.close();
      for (Socket s : held) s.close();
    }
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
