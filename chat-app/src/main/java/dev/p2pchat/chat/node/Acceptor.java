package dev.p2pchat.chat.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop that accepts inbound connections. It survives failures of {@code accept()}, such as
 * running out of file descriptors (EMFILE, ENFILE) under a flood of connections: it logs the
 * first failure of a run once, backs off briefly and goes on. It keeps one descriptor in reserve
 * so that when the process has none left it can still take the connection waiting in the backlog
 * and close it, rather than leave it there to make every accept fail at once.
 */
final class Acceptor implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Acceptor.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(10);
  static final Duration MAX_BACKOFF = Duration.ofMillis(500);
  /** Why a connection is refused when the process is out of descriptors. */
  static final String OUT_OF_DESCRIPTORS = "this node is out of resources; try again later";

  private final ServerSocket server;
  private final BooleanSupplier closed;
  private final Consumer<Socket> accepted;
  private FileChannel reserve;

  /**
   * @param closed whether the node is closing, when a failure is expected and ends the loop
   * @param accepted what gets each connection accepted; runs on the loop's thread
   */
  Acceptor(ServerSocket server, BooleanSupplier closed, Consumer<Socket> accepted) {
    this.server = server;
    this.closed = closed;
    this.accepted = accepted;
  }

  @Override
  public void run() {
    holdReserve();
    int failures = 0;
    Duration backoff = FIRST_BACKOFF;
    while (!closed.getAsBoolean()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (closed.getAsBoolean() || server.isClosed()) break;
        if (failures++ == 0) log.warn("accepting connections failed: {}; retrying until it works", e.toString());
        // Refusing one drains the backlog: no pause, so a flood is refused as fast as it comes.
        if (outOfDescriptors(e) && refuseOneWithReserve()) continue;
        pause(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        continue;
      }
      if (failures > 0) {
        log.warn("accepting connections again after {} failures", failures);
        failures = 0;
        backoff = FIRST_BACKOFF;
      }
      if (reserve == null) holdReserve();
      try {
        accepted.accept(socket);
      } catch (RuntimeException | LinkageError e) {
        // The loop must outlive one connection's failure, a class that could not load included.
        log.error("handling an inbound connection failed", e);
        closeQuietly(socket);
      }
    }
    release();
  }

  /**
   * Frees the reserve descriptor to take the connection waiting and refuse it, then takes it
   * back; false if no connection could be taken.
   */
  private boolean refuseOneWithReserve() {
    release();
    try {
      refuse(server.accept(), OUT_OF_DESCRIPTORS);
      return true;
    } catch (IOException e) {
      log.debug("refusing with the reserve descriptor failed: {}", e.toString());
      return false;
    } finally {
      holdReserve();
    }
  }

  private void holdReserve() {
    try {
      reserve = FileChannel.open(Path.of("/dev/null"));
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("no descriptor in reserve: {}", e.toString());
    }
  }

  private void release() {
    if (reserve == null) return;
    try {
      reserve.close();
    } catch (IOException e) {
      log.debug("closing the reserve descriptor", e);
    }
    reserve = null;
  }

  private static boolean outOfDescriptors(IOException e) {
    String m = e.getMessage();
    return m != null && m.contains("Too many open files"); // EMFILE, and ENFILE "… in system"
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes a connection refused before its TLS handshake and logs why: the peer cannot be told,
   * as nothing but TLS reaches it, so its dial fails with the handshake cut short.
   */
  static void refuse(Socket socket, String reason) {
    log.info("refusing {}: {}", socket.getRemoteSocketAddress(), reason);
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing {} failed", socket, e);
    }
  }
}
