package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.ChatEvent;
import dev.p2pchat.chat.ChatView;
import dev.p2pchat.chat.Node;
import dev.p2pchat.chat.NodeConfig;
import dev.p2pchat.chat.PortForwarding;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.HostPort;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** What the benchmarks share: nodes on 127.0.0.1 without a router, counting views, statistics. */
final class Loopback {
  /** A typical chat line. */
  static final String TEXT = "the quick brown fox jumps over the lazy dog, 0123456789";

  private Loopback() {}

  /**
   * The {@code msg} a node sends as its {@code count}-th line of {@link #TEXT}, for the baselines
   * to move the same bytes: ids are the sender's count of lines in base 32, as {@link Node} makes
   * them.
   */
  static ChatMessage line(String from, long count) {
    return new ChatMessage(Long.toString(count, 32), from, TEXT, System.currentTimeMillis(), null);
  }

  /**
   * A node listening on 127.0.0.1, any port. With {@code unlimited} the per-peer inbound rate
   * limit (200 frames/s by default, a policy against flooding) is lifted so that the node's own
   * speed is what gets measured.
   */
  static NodeConfig config(String nick, boolean unlimited) {
    NodeConfig.Builder b = NodeConfig.builder(nick)
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0, false);
    if (unlimited) b.inboundRate(100_000_000, 100_000_000);
    return b.build();
  }

  static Node start(NodeConfig config, ChatView view) throws IOException {
    Node node = new Node(config, view, PortForwarding.none());
    node.start();
    return node;
  }

  static HostPort address(Node node) {
    return HostPort.parse("127.0.0.1:" + node.port());
  }

  /** Counts the chat lines a node receives and the peers that join it. */
  static final class CountingView implements ChatView {
    final AtomicLong received = new AtomicLong();
    final AtomicLong joined = new AtomicLong();

    @Override
    public void show(ChatEvent event) {
      if (event instanceof ChatEvent.Chat && !((ChatEvent.Chat) event).outgoing()) {
        received.incrementAndGet();
      } else if (event instanceof ChatEvent.PeerJoined) {
        joined.incrementAndGet();
      }
    }
  }

  /** Waits, parking briefly between looks, until {@code done}; fails after {@code seconds}. */
  static void await(BooleanSupplier done, int seconds, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
      LockSupport.parkNanos(50_000);
    }
  }

  /** Heap in use after a few full collections, in bytes. */
  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Sorted latencies in nanoseconds, summarised in microseconds. */
  static final class Latencies {
    private final long[] sorted;

    Latencies(long[] nanos) {
      sorted = nanos.clone();
      Arrays.sort(sorted);
    }

    /** The {@code q} quantile (0..1) in microseconds. */
    double micros(double q) {
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    String summary() {
      return String.format("p50 %7.1f µs   p99 %7.1f µs   p99.9 %7.1f µs   max %8.1f µs   (n=%d)",
          micros(0.5), micros(0.99), micros(0.999), micros(1.0), sorted.length);
    }
  }
}
