package dev.p2pchat.protocol;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes messages as JSON Lines: UTF-8, one message per line, each ended by {@code '\n'}. Output
 * is buffered until {@link #flush()}. Thread-safe: concurrent writes never interleave frames.
 */
public final class FrameWriter implements Flushable, Closeable {
  private final OutputStream out;

  public FrameWriter(OutputStream out) {
    this.out = new BufferedOutputStream(out, 8192);
  }

  /** Writes the message's line and its {@code '\n'}. */
  public synchronized void write(Message message) throws IOException {
    out.write(MessageCodec.encode(message).getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  /** Flushes, then closes the underlying stream. */
  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
