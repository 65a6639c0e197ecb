package dev.p2pchat.protocol;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes messages as JSON Lines: UTF-8, one message per line, each ended by {@code '\n'}. Output
 * is buffered until {@link #flush()}, or until 8 KiB have gathered; each time that happens without
 * a flush (a burst), the amount doubles, up to 64 KiB, so that a burst costs fewer system calls,
 * while a writer that never sees a burst keeps an 8 KiB buffer (one that did keeps the larger
 * one). Thread-safe: concurrent writes never interleave frames.
 */
public final class FrameWriter implements Flushable, Closeable {
  private static final int BUFFER_SIZE = 8192;
  private static final int MAX_BUFFER_SIZE = 65536;

  private final OutputStream out;
  /** Frames are encoded straight into this buffer; it grows to hold a frame larger than it. */
  private final JsonBuffer buffer = new JsonBuffer(BUFFER_SIZE);
  /** How much gathers before it is written without a flush. */
  private int writeAt = BUFFER_SIZE;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes the message's line and its {@code '\n'}. */
  public synchronized void write(Message message) throws IOException {
    MessageCodec.encode(message, buffer);
    buffer.ascii('\n');
    if (buffer.size() >= writeAt) {
      writeBuffer();
      writeAt = Math.min(2 * writeAt, MAX_BUFFER_SIZE);
    }
  }

  private void writeBuffer() throws IOException {
    buffer.writeTo(out);
    buffer.clear();
  }

  @Override
  public synchronized void flush() throws IOException {
    writeBuffer();
    out.flush();
  }

  /** Flushes, then closes the underlying stream. */
  @Override
  public synchronized void close() throws IOException {
    try (OutputStream closing = out) {
      flush();
    }
  }
}
