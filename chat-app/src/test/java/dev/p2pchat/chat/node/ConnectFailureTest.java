package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each failure from its exception as the JDK throws it on Linux; refused and timed out for real on loopback. */
class ConnectFailureTest {
  @Test
  void refused() {
    assertEquals(Optional.of(ConnectFailure.REFUSED), ConnectFailure.of(new ConnectException("Connection refused")));
    assertEquals(Optional.of(ConnectFailure.REFUSED), ConnectFailure.of(new ConnectException()));
    assertTrue(ConnectFailure.REFUSED.hint().contains("is their p2p-chat running"));
    assertTrue(ConnectFailure.REFUSED.hint().contains("the port"));
    assertTrue(ConnectFailure.REFUSED.hint().contains("router does not forward it"));
  }

  @Test
  void refusedForReal() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    IOException e = assertThrows(IOException.class, () -> dial(port, 2000));
    assertEquals(Optional.of(ConnectFailure.REFUSED), ConnectFailure.of(e), e.toString());
  }

  @Test
  void timedOut() {
    assertEquals(Optional.of(ConnectFailure.TIMED_OUT), ConnectFailure.of(new SocketTimeoutException("Connect timed out")));
    assertEquals(Optional.of(ConnectFailure.TIMED_OUT), ConnectFailure.of(new SocketTimeoutException()));
    assertEquals(Optional.of(ConnectFailure.TIMED_OUT), ConnectFailure.of(new ConnectException("Connection timed out")));
    assertTrue(ConnectFailure.TIMED_OUT.hint().contains("firewall"));
    assertTrue(ConnectFailure.TIMED_OUT.hint().contains("address may be wrong"));
  }

  /** A listener whose queue of connections not yet accepted is full ignores the next one (Linux). */
  @Test
  void timedOutForReal() throws IOException {
    List<SocketChannel> queued = new ArrayList<>();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      IOException e = null;
      for (int i = 0; i < 8 && e == null; i++) {
        try {
          queued.add(dial(s.getLocalPort(), 300));
        } catch (IOException thrown) {
          e = thrown;
        }
      }
      assertTrue(e != null, "the queue never filled");
      assertEquals(Optional.of(ConnectFailure.TIMED_OUT), ConnectFailure.of(e), e.toString());
    } finally {
      for (SocketChannel c : queued) c.close();
    }
  }

  @Test
  void hostUnreachable() {
    assertEquals(Optional.of(ConnectFailure.HOST_UNREACHABLE), ConnectFailure.of(new NoRouteToHostException("No route to host")));
    assertEquals(Optional.of(ConnectFailure.HOST_UNREACHABLE), ConnectFailure.of(new NoRouteToHostException()));
    assertEquals(Optional.of(ConnectFailure.HOST_UNREACHABLE), ConnectFailure.of(new ConnectException("Host is unreachable")));
    assertTrue(ConnectFailure.HOST_UNREACHABLE.hint().contains("check the address"));
  }

  @Test
  void networkUnreachable() {
    assertEquals(Optional.of(ConnectFailure.NETWORK_UNREACHABLE), ConnectFailure.of(new SocketException("Network is unreachable")));
    assertEquals(Optional.of(ConnectFailure.NETWORK_UNREACHABLE), ConnectFailure.of(new ConnectException("Network is unreachable (connect failed)")));
    assertTrue(ConnectFailure.NETWORK_UNREACHABLE.hint().contains("your own connection"));
  }

  @Test
  void unknownHost() {
    assertEquals(Optional.of(ConnectFailure.UNKNOWN_HOST), ConnectFailure.of(new UnknownHostException("nosuch.example")));
    assertTrue(ConnectFailure.UNKNOWN_HOST.hint().contains("spelling"));
  }

  @Test
  void reset() {
    assertEquals(Optional.of(ConnectFailure.RESET), ConnectFailure.of(new SocketException("Connection reset")));
    assertEquals(Optional.of(ConnectFailure.RESET), ConnectFailure.of(new SocketException("Connection reset by peer")));
    assertTrue(ConnectFailure.RESET.hint().contains("another program"));
  }

  @Test
  void otherFailuresHaveNoHint() {
    assertEquals(Optional.empty(), ConnectFailure.of(new SocketException("Too many open files")));
    assertEquals(Optional.empty(), ConnectFailure.of(new IOException()));
  }

  @Test
  void everyHintIsOneLine() {
    for (ConnectFailure f : ConnectFailure.values()) {
      assertTrue(!f.hint().isBlank() && f.hint().indexOf('\n') < 0, f.name());
    }
  }

  /** Connects the way the node dials: a blocking connect with a timeout. */
  private static SocketChannel dial(int port, int timeoutMillis) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }
}
