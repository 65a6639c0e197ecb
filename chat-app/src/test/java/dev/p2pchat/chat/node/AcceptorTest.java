package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AcceptorTest {
  /** A listening socket whose next {@code failures} accepts fail as {@code message} says. */
  private static final class FailingServerSocket extends ServerSocket {
    final AtomicInteger failures = new AtomicInteger();
    volatile String message = "Too many open files";

    FailingServerSocket() throws IOException {
      super(0, 50, InetAddress.getLoopbackAddress());
    }

    @Override
    public Socket accept() throws IOException {
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new SocketException(message);
      return super.accept();
    }
  }

  private static Socket connect(ServerSocket server) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 5000);
    s.setSoTimeout(5000);
    return s;
  }

  @Test
  void outOfDescriptorsTheWaitingConnectionIsClosedAndTheNextIsAccepted() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    try (FailingServerSocket server = new FailingServerSocket()) {
      server.failures.set(3); // fails, the reserve's try fails, fails again; then the reserve's try works
      Thread loop = new Thread(new Acceptor(server, closed::get, accepted::add));
      try (Socket early = connect(server)) {
        loop.start();
        assertEquals(-1, early.getInputStream().read(), "closed through the reserve descriptor");
        assertTrue(accepted.isEmpty(), "not handed to the node");
      }
      try (Socket later = connect(server)) {
        Socket got = accepted.poll(5, TimeUnit.SECONDS);
        assertTrue(got != null, "accepted again after the failures");
        assertEquals(later.getLocalPort(), got.getPort());
        got.close();
      }
      closed.set(true);
      server.close();
      loop.join(5000);
      assertTrue(!loop.isAlive(), "the loop ends once the node closes");
    }
  }

  @Test
  void otherFailuresAreRetriedWithoutRefusingAnyone() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    try (FailingServerSocket server = new FailingServerSocket()) {
      server.message = "Software caused connection abort";
      server.failures.set(5);
      Thread loop = new Thread(new Acceptor(server, closed::get, accepted::add));
      loop.start();
      try (Socket first = connect(server)) {
        Socket got = accepted.poll(5, TimeUnit.SECONDS);
        assertTrue(got != null, "accepted after five failures");
        assertEquals(first.getLocalPort(), got.getPort());
        got.close();
      }
      closed.set(true);
      server.close();
      loop.join(5000);
    }
  }
}
