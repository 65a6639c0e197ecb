package dev.p2pchat.protocol;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes messages as JSON Lines: UTF-8, one message per line, each ended by {@code '\n'}. Output
 * is buffered until {@link #flush()}, or until 8 KiB have gathered; each time that happens without
 * a flush (a burst), the amount doubles, up to 64 KiB, so that a burst costs fewer system calls,
 * while a writer that never sees a burst keeps an 8 KiB buffer (one that did keeps the larger
 * one). Thread-safe: concurrent writes never interleave frames.
 *
 * <p>Frames are encoded into one buffer while the other, full one is written out, so a thread
 * writing to the stream (a system call that can take a hundred microseconds on a socket) never
 * stops another from adding frames: each buffer is handed to the stream in the order it filled.
 */
public final class FrameWriter implements Flushable, Closeable {
  private static final int BUFFER_SIZE = 8192;
  private static final int MAX_BUFFER_SIZE = 65536;
  /** The second buffer starts small: most writers flush every frame or few, and it grows as needed. */
  private static final int SPARE_SIZE = 256;

  private final OutputStream out;
  /** Frames are encoded straight into this buffer; it grows to hold a frame larger than it. Guarded by this. */
  private JsonBuffer buffer = new JsonBuffer(BUFFER_SIZE);
  /** The other buffer: empty whenever {@link #output} is free. Guarded by this. */
  private JsonBuffer spare = new JsonBuffer(SPARE_SIZE);
  /**
   * Held while a buffer is written to the stream. It is taken with this object's lock held, and
   * the buffers swapped under both, so buffers reach the stream in the order they were filled.
   */
  private final ReentrantLock output = new ReentrantLock();
  /** How much gathers before it is written without a flush. Guarded by this. */
  private int writeAt = BUFFER_SIZE;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes the message's line and its {@code '\n'}. */
  public void write(Message message) throws IOException {
    JsonBuffer full;
    synchronized (this) {
      MessageCodec.encode(message, buffer);
      buffer.ascii('\n');
      if (buffer.size() < writeAt) {
        return;
      }
      writeAt = Math.min(2 * writeAt, MAX_BUFFER_SIZE);
      full = takeBuffer();
    }
    writeOut(full, false);
  }

  @Override
  public void flush() throws IOException {
    JsonBuffer full;
    synchronized (this) {
      full = takeBuffer();
    }
    writeOut(full, true);
  }

  /** Takes the output lock (waiting for the last buffer to be out) and the frames gathered. */
  private JsonBuffer takeBuffer() {
    output.lock();
    JsonBuffer full = buffer;
    buffer = spare;
    spare = full; // written out and emptied before the output lock, and so it, is free again
    return full;
  }

  private void writeOut(JsonBuffer full, boolean flush) throws IOException {
    try {
      if (full.size() > 0) {
        full.writeTo(out);
      }
      if (flush) {
        out.flush();
      }
    } finally {
      full.clear();
      output.unlock();
    }
  }

  /** Flushes, then closes the underlying stream. */
  @Override
  public void close() throws IOException {
    try (OutputStream closing = out) {
      flush();
    }
  }
}
