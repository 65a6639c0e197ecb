package dev.p2pchat.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads messages from a stream of JSON Lines. A frame is the bytes up to a {@code '\n'}; a
 * {@code '\r'} before it is dropped, blank lines (empty or only spaces and tabs) are skipped, and a
 * last line without a terminator still counts.
 *
 * <p>Bad frames throw {@link DecodeException} and leave the reader at the next line. An oversized
 * frame is reported as soon as it passes the limit; the rest of its line is skipped, without being
 * buffered, by the next {@link #read()}. A read timeout ({@link java.net.SocketTimeoutException})
 * loses nothing: calling {@code read()} again continues the same frame. Not thread-safe.
 */
public final class FrameReader implements Closeable {
  private static final int BUFFER_SIZE = 8192;
  private static final int MAX_BUFFER_SIZE = 65536;

  private final InputStream in;
  private final int maxFrameBytes;
  /** 8 KiB, doubled up to 64 KiB each time a read fills it: a burst is read in fewer calls. */
  private byte[] buffer = new byte[BUFFER_SIZE];
  private int position;
  private int limit;
  /** A frame that spans reads of {@link #buffer}; at most maxFrameBytes + 1 bytes (for a '\r'). */
  private byte[] pending = new byte[256];
  private int pendingLength;
  private boolean skippingOversizedLine;
  private final PlainDecoder plain = new PlainDecoder();
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** Reads frames of up to {@link Limits#MAX_FRAME_BYTES}. */
  public FrameReader(InputStream in) {
    this(in, Limits.MAX_FRAME_BYTES);
  }

  /** Reads frames of up to {@code maxFrameBytes} bytes, not counting the line terminator. */
  public FrameReader(InputStream in, int maxFrameBytes) {
    if (maxFrameBytes < 1 || maxFrameBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxFrameBytes out of range: " + maxFrameBytes);
    }
    this.in = in;
    this.maxFrameBytes = maxFrameBytes;
  }

  /**
   * Next message; null at end of stream. After a DecodeException the reader is positioned at the
   * next line (usable).
   */
  public Message read() throws IOException, DecodeException {
    while (true) {
      if (position == limit && !fill()) {
        skippingOversizedLine = false;
        if (pendingLength == 0) {
          return null;
        }
        int length = pendingLength;
        pendingLength = 0;
        Message message = decode(pending, 0, length);
        if (message != null) {
          return message;
        }
        continue; // a blank last line: the next pass reports the end of the stream
      }
      int newline = indexOfNewline();
      int end = newline < 0 ? limit : newline;
      int start = position;
      position = newline < 0 ? limit : newline + 1;
      if (skippingOversizedLine) {
        skippingOversizedLine = newline < 0;
      } else if (newline >= 0 && pendingLength == 0) {
        Message message = decode(buffer, start, end); // the whole line is in the buffer: no copy
        if (message != null) {
          return message;
        }
      } else if (pendingLength + (end - start) > maxFrameBytes + 1) {
        pendingLength = 0;
        skippingOversizedLine = newline < 0;
        throw tooLarge();
      } else {
        append(start, end);
        if (newline >= 0) {
          int length = pendingLength;
          pendingLength = 0;
          Message message = decode(pending, 0, length);
          if (message != null) {
            return message;
          }
        }
      }
    }
  }

  private boolean fill() throws IOException {
    if (limit == buffer.length && buffer.length < MAX_BUFFER_SIZE) {
      buffer = new byte[2 * buffer.length]; // all of the old one is read: nothing points into it
    }
    int count = in.read(buffer, 0, buffer.length);
    if (count < 0) {
      return false;
    }
    position = 0;
    limit = count;
    return true;
  }

  /** The first '\n' in {@code buffer[position, limit)}, or -1. */
  private int indexOfNewline() {
    int i = position;
    for (; i + Long.BYTES <= limit; i += Long.BYTES) {
      long newlines = Swar.bytesEqual(Swar.read(buffer, i), (byte) '\n');
      if (newlines != 0) {
        return i + Swar.first(newlines);
      }
    }
    for (; i < limit; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void append(int start, int end) {
    int length = end - start;
    if (pendingLength + length > pending.length) {
      int doubled = Math.min(pending.length * 2, maxFrameBytes + 1);
      int capacity = Math.max(pendingLength + length, doubled);
      pending = Arrays.copyOf(pending, capacity);
    }
    System.arraycopy(buffer, start, pending, pendingLength, length);
    pendingLength += length;
  }

  /** Decodes the line bytes [start, end), dropping a trailing '\r'; null for a blank line. */
  private Message decode(byte[] bytes, int start, int end) throws DecodeException {
    if (end > start && bytes[end - 1] == '\r') {
      end--;
    }
    int length = end - start;
    if (length > maxFrameBytes) {
      throw tooLarge();
    }
    Message message = plain.decode(bytes, start, end);
    if (message != null) {
      return message;
    }
    String text = new String(bytes, start, length, StandardCharsets.UTF_8);
    // That constructor turns malformed input into U+FFFD rather than failing, so only a frame
    // holding U+FFFD needs the strict (slower) check.
    if (text.indexOf('\uFFFD') >= 0) {
      requireUtf8(ByteBuffer.wrap(bytes, start, length));
    }
    return isBlank(text) ? null : MessageCodec.decode(text);
  }

  private void requireUtf8(ByteBuffer input) throws DecodeException {
    int start = input.position();
    utf8.reset();
    CoderResult result = utf8.decode(input, CharBuffer.allocate(input.remaining()), true);
    if (result.isError()) {
      throw new DecodeException(ErrorCode.BAD_MESSAGE, "the frame is not valid UTF-8 (bad byte at "
          + "offset " + (input.position() - start) + ")");
    }
  }

  private DecodeException tooLarge() {
    return new DecodeException(ErrorCode.FRAME_TOO_LARGE,
        "the frame is larger than " + maxFrameBytes + " bytes");
  }

  private static boolean isBlank(String frame) {
    for (int i = 0; i < frame.length(); i++) {
      if (frame.charAt(i) != ' ' && frame.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
