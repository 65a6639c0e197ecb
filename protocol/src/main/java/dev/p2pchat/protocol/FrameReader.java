package dev.p2pchat.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads messages from a stream of JSON Lines. A frame is the bytes up to a {@code '\n'}; a
 * {@code '\r'} before it is dropped, blank lines (empty or only spaces and tabs) are skipped, and a
 * last line without a terminator still counts.
 *
 * <p>Bad frames throw {@link DecodeException} and leave the reader at the next line. An oversized
 * frame is reported as soon as it passes the limit, and the rest of its line is skipped without
 * being kept. A read timeout ({@link java.net.SocketTimeoutException}) loses nothing: calling
 * {@link #read()} again continues the same frame. Not thread-safe.
 */
public final class FrameReader implements Closeable {
  private final InputStream in;
  private final int maxFrameBytes;
  private final byte[] buffer = new byte[8192];
  private int position;
  private int limit;
  /** The frame read so far: at most maxFrameBytes + 1 bytes (for a '\r'). */
  private byte[] frame = new byte[256];
  private int length;
  /** Whether the rest of an oversized line, already reported, is being skipped. */
  private boolean skipping;
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
      if (position == limit) {
        int count = in.read(buffer);
        if (count < 0) {
          skipping = false;
          if (length == 0) {
            return null;
          }
          Message last = takeFrame();
          if (last != null) {
            return last;
          }
          continue; // a blank last line: the next pass reports the end of the stream
        }
        position = 0;
        limit = count;
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int end = position;
      boolean complete = position < limit;
      if (complete) {
        position++;
      }
      if (skipping) {
        skipping = !complete;
        continue;
      }
      if (length + (end - start) > maxFrameBytes + 1) {
        length = 0;
        skipping = !complete;
        throw tooLarge();
      }
      append(start, end);
      if (complete) {
        Message message = takeFrame();
        if (message != null) {
          return message;
        }
      }
    }
  }

  private void append(int start, int end) {
    int needed = length + end - start;
    if (needed > frame.length) {
      frame = Arrays.copyOf(frame, Math.min(Math.max(needed, 2 * frame.length), maxFrameBytes + 1));
    }
    System.arraycopy(buffer, start, frame, length, end - start);
    length = needed;
  }

  /** Decodes the frame gathered, dropping a trailing '\r'; null for a blank line. */
  private Message takeFrame() throws DecodeException {
    int end = length;
    length = 0;
    if (end > 0 && frame[end - 1] == '\r') {
      end--;
    }
    if (end > maxFrameBytes) {
      throw tooLarge();
    }
    ByteBuffer bytes = ByteBuffer.wrap(frame, 0, end);
    CharBuffer chars = CharBuffer.allocate(end);
    utf8.reset();
    if (utf8.decode(bytes, chars, true).isError() || utf8.flush(chars).isError()) {
      throw new DecodeException(ErrorCode.BAD_MESSAGE,
          "the frame is not valid UTF-8 (bad byte at offset " + bytes.position() + ")");
    }
    String line = chars.flip().toString();
    return line.chars().allMatch(c -> c == ' ' || c == '\t')
        ? null : MessageCodec.decode(line);
  }

  private DecodeException tooLarge() {
    return new DecodeException(ErrorCode.FRAME_TOO_LARGE,
        "the frame is larger than " + maxFrameBytes + " bytes");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
