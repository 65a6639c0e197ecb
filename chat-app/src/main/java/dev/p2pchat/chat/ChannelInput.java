package dev.p2pchat.chat;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A non-blocking socket channel read as a blocking stream with a read timeout. The channel is
 * non-blocking so that writes to it never wait (see {@link Outbox}); this side waits on its own
 * selector instead. Before waiting it runs {@code beforeWaiting}, which lets the reading thread
 * flush the answers it wrote while input was arriving, once per batch. Only the reading thread
 * uses it, apart from {@link #wakeUp()}.
 */
final class ChannelInput extends InputStream {
  private final SocketChannel channel;
  private final Selector selector;
  private final long timeoutNanos;
  private final Runnable beforeWaiting;
  /** When the last read that got bytes returned. */
  private long arrivedNanos = System.nanoTime();

  ChannelInput(SocketChannel channel, Duration timeout, Runnable beforeWaiting) throws IOException {
    this.channel = channel;
    this.timeoutNanos = timeout.toNanos();
    this.beforeWaiting = beforeWaiting;
    this.selector = Selector.open();
    try {
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException e) {
      selector.close();
      throw e;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  /** Reads at least one byte; -1 at end of stream, {@link SocketTimeoutException} after the timeout. */
  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
    long deadline = 0;
    while (true) {
      int n = channel.read(buffer);
      if (n > 0) arrivedNanos = System.nanoTime();
      if (n != 0) return n;
      beforeWaiting.run();
      long now = System.nanoTime();
      if (deadline == 0) {
        deadline = now + timeoutNanos;
      } else if (now - deadline >= 0) {
        throw new SocketTimeoutException("Read timed out");
      }
      selector.select(Math.max(1, (deadline - now) / 1_000_000));
      selector.selectedKeys().clear();
      if (!channel.isOpen()) throw new ClosedChannelException();
    }
  }

  /**
   * When the bytes last read arrived: one clock reading per read, for every frame in it, rather
   * than one per frame.
   */
  long arrivedNanos() {
    return arrivedNanos;
  }

  /** Makes a waiting {@code read} look again, e.g. because the channel was closed. */
  void wakeUp() {
    selector.wakeup();
  }

  /** Closes the selector (not the channel), which lets a closed channel release its socket. */
  @Override
  public void close() throws IOException {
    selector.close();
  }
}
