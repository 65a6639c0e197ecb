package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.PeerVerifier;
import dev.p2pchat.chat.trust.SecuredConnection;
import dev.p2pchat.chat.trust.TlsEndpoint;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.MessageCodec;
import dev.p2pchat.protocol.Peers;
import dev.p2pchat.protocol.ProtocolVersion;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A hand-driven peer, for sending what a real node never would: over TLS 1.3 with an identity of
 * its own (a new one unless given), as every node must speak.
 */
final class RawPeer implements Closeable {
  final Socket socket;
  final SecuredConnection secured;
  private final Identity identity;
  private final FrameReader reader;
  private final OutputStream out;

  RawPeer(int port) throws IOException {
    this(port, 0);
  }

  /** With {@code receiveBuffer} > 0, the socket's receive buffer is that small (set before connecting). */
  RawPeer(int port, int receiveBuffer) throws IOException {
    this(port, receiveBuffer, Identity.generate());
  }

  RawPeer(int port, int receiveBuffer, Identity identity) throws IOException {
    this.identity = identity;
    Socket plain = new Socket();
    if (receiveBuffer > 0) plain.setReceiveBufferSize(receiveBuffer);
    plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    secured = new TlsEndpoint(identity, Duration.ofSeconds(5)).secureDialled(plain, PeerVerifier.firstUse());
    socket = secured.socket();
    socket.setSoTimeout(5000);
    out = socket.getOutputStream();
    reader = new FrameReader(socket.getInputStream());
  }

  /** Connects and completes the handshake as {@code nick}; returns the node's hello. */
  static RawPeer handshaken(Node node, String nick) throws Exception {
    return handshaken(new RawPeer(node.port()), node, nick);
  }

  /** Completes {@code peer}'s handshake with {@code node} as {@code nick}. */
  static RawPeer handshaken(RawPeer peer, Node node, String nick) throws Exception {
    return handshaken(peer, node, nick, ProtocolVersion.CURRENT);
  }

  /** Completes {@code peer}'s handshake with {@code node} as {@code nick} speaking {@code protocolVersion}. */
  static RawPeer handshaken(RawPeer peer, Node node, String nick, String protocolVersion) throws Exception {
    assertEquals(node.fingerprint(), peer.secured.peer(), "the node's key");
    peer.expect(Hello.class);
    peer.send(new Hello(protocolVersion, nick, "raw 1", null));
    return peer;
  }

  /** This peer's own fingerprint, as the node sees it. */
  dev.p2pchat.chat.trust.Fingerprint identityFingerprint() {
    return identity.fingerprint();
  }

  void send(Message m) throws IOException {
    sendAll(List.of(m));
  }

  /** Sends {@code messages} in one write. */
  void sendAll(List<? extends Message> messages) throws IOException {
    java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
    for (Message m : messages) frames.writeBytes(MessageCodec.frame(m));
    out.write(frames.toByteArray());
    out.flush();
  }

  void sendLine(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next message, or null at end of stream. */
  Message read() throws IOException, DecodeException {
    return reader.read();
  }

  /** The next message that is not a ping, pong or peers list, which must be a {@code type}. */
  <T extends Message> T expect(Class<T> type) throws IOException, DecodeException {
    Message m;
    do {
      m = reader.read();
    } while (m instanceof dev.p2pchat.protocol.Ping || m instanceof dev.p2pchat.protocol.Pong
        || m instanceof dev.p2pchat.protocol.Peers);
    return assertInstanceOf(type, m, () -> "expected " + type.getSimpleName());
  }

  /** The next peers list, skipping pings and pongs. */
  Peers expectPeers() throws IOException, DecodeException {
    Message m;
    do {
      m = reader.read();
    } while (m instanceof dev.p2pchat.protocol.Ping || m instanceof dev.p2pchat.protocol.Pong);
    return assertInstanceOf(Peers.class, m);
  }

  /** Reads until the node closes the connection; fails if it does not within {@code timeout}. */
  void awaitEof(Duration timeout) throws Exception {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
    while (true) {
      try {
        if (reader.read() == null) return;
      } catch (DecodeException e) {
        // keep reading to the end
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the node did not close the connection within " + timeout);
      } catch (SocketException e) {
        return; // reset: closed as well
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
