package dev.p2pchat.chat.node;

import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.upnp.DurationText;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's socket: frames in on a reader thread, frames out on a writer thread that drains a
 * queue bounded in frames and in bytes. Senders never touch the socket, so a peer that reads
 * slowly or not at all stalls only its own writer; when its queue is full, {@link #send} says so
 * and the session drops the peer. Knows nothing of the protocol beyond framing: any connected
 * {@link Socket} will do, a TLS one included (closed through the TCP socket beneath it, as a
 * TLS socket's own close waits for a blocked write to finish).
 */
final class Transport {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  /** What the reader thread hands frames to. */
  interface Receiver {
    /** A frame read; false to stop reading. */
    boolean onMessage(Message message);

    /** A frame that is not a valid message; false to stop reading. */
    boolean onBadFrame(DecodeException e);

    /** The socket is closed and both threads are done or ending; called once, last. */
    void onClosed(String reason);
  }

  /** What became of a frame handed to {@link #send}. */
  enum Queued { QUEUED, FULL, CLOSED }

  private final Socket socket;
  private final Socket tcp;
  private final String name;
  private final int maxFrames;
  private final long maxBytes;
  /** Bytes waiting to be sent to all peers, of which this queue's are a part. */
  private final QueueBudget allPeers;
  private final Duration outputGrace;
  /** Frames waiting for the writer thread. Guarded by itself, as are the fields below. */
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long queuedBytes;
  /** Set once nothing more may be queued: the output ends after what is queued. */
  private boolean outputEnding;
  private boolean closed;
  private String backlog;
  /** Why the connection failed, if the writer found out first. */
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Thread reader;
  private final Thread writer;

  /**
   * @param tcp the TCP socket beneath {@code socket}, or {@code socket} itself if it is one
   * @param allPeers the bound on bytes queued for all peers together, which this queue draws on
   * @param readTimeout silence after which the peer counts as dead
   * @param outputGrace how long the reader waits, after it stops, for the last frames to leave
   * @param receiver what the reader thread hands frames to, once {@link #start} is called
   */
  Transport(Socket socket, Socket tcp, String name, int maxFrames, long maxBytes, QueueBudget allPeers,
      Duration readTimeout, Duration outputGrace, Receiver receiver) throws IOException {
    this.socket = socket;
    this.tcp = tcp;
    this.name = name;
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
    this.allPeers = allPeers;
    this.outputGrace = outputGrace;
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
    this.reader = new Thread(() -> readLoop(receiver), "peer-reader " + name);
    this.writer = new Thread(this::writeLoop, "peer-writer " + name);
    reader.setDaemon(true);
    writer.setDaemon(true);
  }

  /** Starts the reader and writer threads. */
  void start() {
    writer.start();
    reader.start();
  }

  /** Queues {@code frame} (a message's encoded line) for the writer thread; never blocks. */
  Queued send(byte[] frame) {
    synchronized (queue) {
      if (outputEnding || closed) return Queued.CLOSED;
      if (!fits(frame)) return Queued.FULL;
      queue.add(frame);
      queuedBytes += frame.length;
      if (queue.size() == 1) queue.notifyAll(); // the writer waits only for an empty queue
      return Queued.QUEUED;
    }
  }

  /**
   * Ends the output after what is queued and then {@code last}, if not null: the writer sends
   * them and shuts the socket's output. False if the output was ending already, or if {@code last}
   * does not fit in the queue.
   */
  boolean endOutput(byte[] last) {
    synchronized (queue) {
      if (outputEnding || closed) return false;
      if (last != null && !fits(last)) return false;
      if (last != null) {
        queue.add(last);
        queuedBytes += last.length;
      }
      outputEnding = true;
      queue.notifyAll();
      return true;
    }
  }

  /**
   * Whether {@code frame} fits in the queue, taking its bytes from the budget of all peers if so;
   * if not, {@link #backlog} says why. Holds the lock.
   */
  private boolean fits(byte[] frame) {
    if (queue.size() >= maxFrames) {
      backlog = queue.size() + " messages waiting to be sent";
    } else if (queuedBytes + frame.length > maxBytes) {
      backlog = "more than " + maxBytes / 1024 + " KiB waiting to be sent";
    } else if (!allPeers.take(frame.length)) {
      backlog = "its messages pushed those waiting for all peers past " + allPeers.max() / 1024 + " KiB";
    } else {
      return true;
    }
    return false;
  }

  /** What was waiting when a frame last did not fit, for the notice that drops the peer. */
  String backlog() {
    synchronized (queue) {
      return backlog;
    }
  }

  /** Closes the socket now; both threads end soon after. */
  void close() {
    synchronized (queue) {
      closed = true;
      queue.clear();
      allPeers.giveBack(queuedBytes);
      queuedBytes = 0;
      queue.notifyAll();
    }
    try {
      tcp.close();
    } catch (IOException e) {
      log.debug("closing socket of {}", name, e);
    }
  }

  /** Waits for the reader thread to end, which it does soon after the socket closes (at once if never started). */
  void awaitClosed(Duration timeout) throws InterruptedException {
    reader.join(Math.max(1, timeout.toMillis()));
  }

  private void readLoop(Receiver receiver) {
    String reason = "connection closed";
    try {
      FrameReader frames = new FrameReader(socket.getInputStream(), Limits.MAX_FRAME_BYTES);
      while (true) {
        boolean more;
        try {
          Message message = frames.read();
          if (message == null) break;
          more = receiver.onMessage(message);
        } catch (DecodeException e) {
          more = receiver.onBadFrame(e);
        }
        if (!more) break;
      }
    } catch (SocketTimeoutException e) {
      reason = "no answer for " + DurationText.human(Duration.ofMillis(soTimeout()));
    } catch (IOException e) {
      reason = "connection lost: " + Node.describe(e);
    } catch (RuntimeException e) {
      log.error("unexpected failure reading from {}", name, e);
      reason = "internal error: " + e;
    }
    endOutput(null);
    awaitOutput();
    close();
    String failed = failure.get();
    receiver.onClosed(failed != null ? failed : reason);
  }

  /** Gives frames still queued (acks of the last lines read, a bye) a moment to leave. */
  private void awaitOutput() {
    try {
      writer.join(outputGrace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int soTimeout() {
    try {
      return socket.getSoTimeout();
    } catch (IOException e) {
      return 0;
    }
  }

  private void writeLoop() {
    try {
      // Not closed when done: closing a socket's stream closes the socket, reader and all.
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 65536);
      for (byte[] frame = next(true); frame != null; frame = next(true)) {
        // Writes whatever else is queued before one flush: a burst leaves in few system calls.
        for (; frame != null; frame = next(false)) out.write(frame);
        out.flush();
      }
      if (!isClosed()) socket.shutdownOutput();
    } catch (IOException e) {
      if (!isClosed() && failure.compareAndSet(null, "connection lost: " + Node.describe(e))) {
        log.info("writing to {} failed: {}", name, e.toString());
      }
      close();
    } catch (InterruptedException e) {
      close();
    }
  }

  private boolean isClosed() {
    synchronized (queue) {
      return closed;
    }
  }

  /**
   * The next frame to write; with {@code wait}, waits for one. Null when the queue is empty and
   * either {@code wait} is false or the output has ended.
   */
  private byte[] next(boolean wait) throws InterruptedException {
    synchronized (queue) {
      while (wait && queue.isEmpty() && !outputEnding && !closed) queue.wait();
      byte[] frame = queue.poll();
      if (frame != null) {
        queuedBytes -= frame.length;
        allPeers.giveBack(frame.length);
      }
      return frame;
    }
  }
}
