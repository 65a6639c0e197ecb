package dev.p2pchat.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes going to one peer. Whoever sends writes straight to the socket, which is
 * non-blocking: the kernel takes what fits in its send buffer and the call returns at once. What
 * does not fit waits in a backlog that the connection's writer thread sends as the peer reads, and
 * while there is a backlog later bytes join it, so the order is kept. So the usual send costs one
 * system call and no thread hand-off, and a peer that stops reading can never make a sender wait:
 * broadcasting to everyone stays as fast as the fastest peers, and the slow one's backlog grows
 * until its connection drops it ({@link #backlog()}).
 */
final class Outbox extends OutputStream {
  private final SocketChannel channel;
  /** Chunks not yet taken by the socket, oldest first; guarded by this. */
  private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>();
  /** The backlog's size, readable without the lock: every send looks at it. */
  private volatile int backlogSize;
  private boolean shutDownWhenSent;
  private boolean outputDone;
  private boolean closed;
  /**
   * Whether the writer thread is asked to flush for a sender; written under this, read without it
   * first by {@link #requestFlush()}, which every frame of a burst calls.
   */
  private volatile boolean flushRequested;
  /** The writer thread's selector, opened the first time there is a backlog. */
  private volatile Selector writable;
  /** Starts the writer thread, the first time it has work; then it stays. */
  private final Runnable startWriter;
  private boolean writerStarted;

  Outbox(SocketChannel channel, Runnable startWriter) {
    this.channel = channel;
    this.startWriter = startWriter;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    if (len == 0) return;
    if (backlog.isEmpty()) {
      ByteBuffer now = ByteBuffer.wrap(b, off, len);
      channel.write(now);
      if (!now.hasRemaining()) return;
      off = now.position();
      len = now.remaining();
      wakeWriter(); // it has a backlog to send
    }
    backlog.add(ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len)));
    backlogSize = backlog.size();
  }

  /** Chunks (usually one frame each) the socket has not taken yet. */
  int backlog() {
    return backlogSize;
  }

  /** Shuts the output down (the peer reads end of stream) once everything written so far is sent. */
  synchronized void shutDownWhenSent() throws IOException {
    shutDownWhenSent = true;
    if (backlog.isEmpty()) shutDownOutput();
  }

  private void shutDownOutput() throws IOException {
    if (outputDone) return;
    outputDone = true;
    notifyAll();
    channel.shutdownOutput();
  }

  /** Waits up to {@code millis} for {@link #shutDownWhenSent()} to have happened; true if it did. */
  synchronized boolean awaitOutputDone(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!outputDone && !closed) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) return false;
      wait(left);
    }
    return outputDone;
  }

  /** Asks the writer thread to run the flush given to {@link #sendBacklog}; false if already asked. */
  boolean requestFlush() {
    if (flushRequested) return false; // asked already: no lock needed to know that
    synchronized (this) {
      if (flushRequested) return false;
      flushRequested = true;
      wakeWriter();
      return true;
    }
  }

  private void wakeWriter() {
    if (!writerStarted) {
      writerStarted = true;
      startWriter.run();
    }
    notifyAll();
  }

  /** What the writer thread does with a backlog or a flush request. */
  interface Flush {
    void run() throws IOException;
  }

  /**
   * The writer thread's loop until {@link #close()}: runs {@code flush} when asked to, and sends
   * the backlog whenever there is one, waiting for the socket to have room. Throws when the socket
   * fails.
   */
  void sendBacklog(Flush flush) throws IOException, InterruptedException {
    try {
      while (awaitWork()) {
        if (takeFlushRequest()) {
          flush.run(); // outside this lock: senders take the frame writer's lock, then this one
          continue;
        }
        if (writable == null) {
          writable = Selector.open();
          channel.register(writable, SelectionKey.OP_WRITE);
        }
        writable.select(1000); // bounded, in case close() came before the selector existed
        writable.selectedKeys().clear();
        sendSome();
      }
    } finally {
      if (writable != null) writable.close();
    }
  }

  private synchronized boolean awaitWork() throws InterruptedException {
    while (backlog.isEmpty() && !flushRequested && !closed) wait();
    return !closed;
  }

  private synchronized boolean takeFlushRequest() {
    boolean requested = flushRequested;
    flushRequested = false;
    return requested;
  }

  private synchronized void sendSome() throws IOException {
    while (!backlog.isEmpty()) {
      ByteBuffer head = backlog.peek();
      channel.write(head);
      if (head.hasRemaining()) return;
      backlog.poll();
      backlogSize = backlog.size();
    }
    if (shutDownWhenSent) shutDownOutput();
  }

  /** Stops the writer thread; the channel is closed by its owner. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    Selector s = writable;
    if (s != null) s.wakeup();
  }
}
