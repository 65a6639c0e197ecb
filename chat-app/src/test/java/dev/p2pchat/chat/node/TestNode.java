package dev.p2pchat.chat.node;

import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.KnownPeers;
import dev.p2pchat.chat.trust.ShareToken;
import dev.p2pchat.protocol.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A node on 127.0.0.1 with an any free port, no UPnP and short timings, a new identity and its
 * own known peers, plus its recorded events.
 */
public record TestNode(Node node, RecordingView view) implements AutoCloseable {

  /** Loopback, any port, ping every 200 ms, dead after 3 s, 3 s handshake and 1 s ack timeouts. */
  public static NodeConfig.Builder config(String nick) {
    return NodeConfig.builder(nick)
        .bindAddress(InetAddress.getLoopbackAddress())
        .port(0, false)
        .keepalive(Duration.ofMillis(200), Duration.ofSeconds(3))
        .handshakeTimeout(Duration.ofSeconds(3))
        .ackTimeout(Duration.ofSeconds(1));
  }

  public static TestNode start(String nick) throws IOException {
    return start(config(nick), PortForwarding.none());
  }

  public static TestNode start(NodeConfig.Builder config) throws IOException {
    return start(config, PortForwarding.none());
  }

  public static TestNode start(NodeConfig.Builder config, PortForwarding forwarding) throws IOException {
    return start(config, forwarding, Identity.generate(), knownPeers());
  }

  /** A node with {@code identity} that remembers peers in {@code knownPeers}. */
  public static TestNode start(NodeConfig.Builder config, PortForwarding forwarding,
      Identity identity, KnownPeers knownPeers) throws IOException {
    RecordingView view = new RecordingView();
    Node node = new Node(config.build(), identity, knownPeers, view, forwarding);
    node.start();
    return new TestNode(node, view);
  }

  /** A node not started yet, with a new identity and no known peers. */
  public static Node node(NodeConfig config, ChatView view, PortForwarding forwarding) throws IOException {
    return new Node(config, Identity.generate(), knownPeers(), view, forwarding);
  }

  /** No known peers yet, kept in a temporary file deleted when the JVM ends. */
  public static KnownPeers knownPeers() throws IOException {
    Path dir = Files.createTempDirectory("p2p-chat-test-");
    Path file = dir.resolve("known-peers.json");
    dir.toFile().deleteOnExit();
    file.toFile().deleteOnExit(); // deleted first: the last registered goes first
    return KnownPeers.load(file, Clock.systemUTC());
  }

  public HostPort address() {
    return HostPort.parse("127.0.0.1:" + node.port());
  }

  /** What this node's share line shows: its address and fingerprint. */
  public ShareToken token() {
    return new ShareToken(address(), node.fingerprint());
  }

  public String nick() {
    return node.nick();
  }

  /** Dials {@code other} and waits until both have seen the other join. */
  public void connect(TestNode other) throws InterruptedException {
    node.connect(other.address());
    view.await(ChatEvent.PeerJoined.class, j -> j.nick().equals(other.nick()));
    other.view.await(ChatEvent.PeerJoined.class, j -> j.nick().equals(nick()));
  }

  @Override
  public void close() {
    node.close();
  }
}
