package dev.p2pchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60) // a reader stuck in a loop fails instead of hanging the build
class FrameReaderTest {
  private static final String ACK = "{\"type\":\"ack\",\"id\":\"m1\"}";

  @Test
  void framesRoundTripEveryType() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Message message : Samples.everyType()) {
      bytes.writeBytes(MessageCodec.frame(message));
    }
    String wire = bytes.toString(UTF_8);
    assertEquals(Samples.everyType().size(), wire.split("\n", -1).length - 1);
    assertTrue(wire.endsWith("\n"));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(Samples.everyType(), readAll(reader));
  }

  @Test
  void stripsCrAndSkipsBlankLines() throws Exception {
    FrameReader reader = reader("\r\n\n   \n\t\r\n" + ACK + "\r\n\n" + ACK + "\n \n");
    assertEquals(new Ack("m1"), reader.read());
    assertEquals(new Ack("m1"), reader.read());
    assertNull(reader.read());
    assertNull(reader.read());
  }

  @Test
  void readsALastLineWithoutTerminator() throws Exception {
    FrameReader reader = reader(ACK + "\n" + ACK);
    assertEquals(new Ack("m1"), reader.read());
    assertEquals(new Ack("m1"), reader.read());
    assertNull(reader.read());
  }

  @Test
  void staysUsableAfterEachKindOfBadFrame() throws Exception {
    FrameReader reader = reader("not json\n"
        + "[1,2]\n"
        + "{\"id\":\"m\"}\n"
        + "{\"type\":\"warp\"}\n"
        + "{\"type\":\"ack\",\"id\":1}\n"
        + "{\"type\":\"ack\",\n"
        + "\"id\":\"m\"}\n"
        + ACK + "\n");
    List<ErrorCode> codes = new ArrayList<>();
    Message message;
    while (true) {
      try {
        message = reader.read();
        break;
      } catch (DecodeException e) {
        codes.add(e.code());
      }
    }
    assertEquals(List.of(ErrorCode.BAD_MESSAGE, ErrorCode.BAD_MESSAGE, ErrorCode.INVALID_FIELD,
        ErrorCode.UNKNOWN_TYPE, ErrorCode.INVALID_FIELD, ErrorCode.BAD_MESSAGE,
        ErrorCode.BAD_MESSAGE), codes);
    assertEquals(new Ack("m1"), message);
    assertNull(reader.read());
  }

  @Test
  void rejectsInvalidUtf8AndContinues() throws Exception {
    byte[] bad = "{\"type\":\"ack\",\"id\":\"\u00e9\"}\n".getBytes(UTF_8);
    bad[bad.length - 4] = (byte) 0xff; // breaks the two-byte sequence of é
    FrameReader reader = new FrameReader(new SequenceInputStream(new ByteArrayInputStream(bad),
        new ByteArrayInputStream((ACK + "\n").getBytes(UTF_8))));
    DecodeException e = assertThrows(DecodeException.class, reader::read);
    assertEquals(ErrorCode.BAD_MESSAGE, e.code());
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    assertEquals(new Ack("m1"), reader.read());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ff", "c0af", "eda080", "f4908080", "e282", "80", "f0"})
  void rejectsEveryKindOfMalformedUtf8(String hex) throws Exception {
    byte[] bad = HexFormat.of().parseHex(hex);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes("{\"type\":\"bye\",\"reason\":\"".getBytes(UTF_8));
    wire.writeBytes(bad);
    wire.writeBytes("\"}\n".getBytes(UTF_8));
    // a real U+FFFD is fine
    wire.writeBytes("{\"type\":\"bye\",\"reason\":\"\ufffd\"}".getBytes(UTF_8));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()));
    DecodeException e = assertThrows(DecodeException.class, reader::read);
    assertEquals(ErrorCode.BAD_MESSAGE, e.code());
    assertEquals("the frame is not valid UTF-8 (bad byte at offset 24)", e.getMessage());
    assertEquals(new Bye("\ufffd"), reader.read());
  }

  @Test
  void framesAtTheLimitPassAndOneByteMoreDoesNot() throws Exception {
    int max = ACK.length();
    FrameReader reader = new FrameReader(stream(ACK + "\n" + ACK + "\r\n"
        + ACK.replace("m1", "m12") + "\n" + ACK + "\n"), max);
    assertEquals(new Ack("m1"), reader.read());
    assertEquals(new Ack("m1"), reader.read());
    DecodeException e = assertThrows(DecodeException.class, reader::read);
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    assertEquals(new Ack("m1"), reader.read());
  }

  @Test
  void theLimitHoldsWhenFramesArriveInPieces() throws Exception {
    int max = ACK.length();
    FrameReader reader = new FrameReader(trickle(ACK + "\r\n" + ACK.replace("m1", "m12") + "\r\n"
        + ACK.replace("m1", "m123") + "\n" + ACK + "\n"), max);
    assertEquals(new Ack("m1"), reader.read());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, assertThrows(DecodeException.class, reader::read).code());
    assertEquals(ErrorCode.FRAME_TOO_LARGE, assertThrows(DecodeException.class, reader::read).code());
    assertEquals(new Ack("m1"), reader.read());
    assertNull(reader.read());
  }

  @Test
  void oversizedFrameIsReportedEarlyAndSkippedWithoutBuffering() throws Exception {
    int huge = 10 * 1024 * 1024;
    CountingStream in = new CountingStream(new SequenceInputStream(
        stream("{\"type\":\"msg\",\"text\":\"" + "a".repeat(huge)),
        stream("\"}\n" + ACK + "\n")));
    FrameReader reader = new FrameReader(in, 1024);
    DecodeException e = assertThrows(DecodeException.class, reader::read);
    assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
    assertEquals("the frame is larger than 1024 bytes", e.getMessage());
    assertTrue(in.count <= 1024 + 2 * 8192, "read " + in.count + " bytes before reporting");
    assertEquals(new Ack("m1"), reader.read());
    assertTrue(in.count > huge);
  }

  @Test
  void readsFramesDeliveredOneByteAtATime() throws Exception {
    String wire = "{\"type\":\"msg\",\"id\":\"m\",\"from\":\"ボブ\",\"text\":\"😀 שלום\","
        + "\"timestamp\":3}\r\n" + ACK + "\n";
    FrameReader reader = new FrameReader(trickle(wire));
    assertEquals(new ChatMessage("m", "ボブ", "😀 שלום", 3, null), reader.read());
    assertEquals(new Ack("m1"), reader.read());
    assertNull(reader.read());
  }

  @Test
  void aReadTimeoutMidFrameLosesNothing() throws Exception {
    byte[] wire = (ACK + "\n").getBytes(UTF_8);
    InputStream flaky = new InputStream() {
      int position;
      boolean timedOut;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position == 10 && !timedOut) {
          timedOut = true;
          throw new SocketTimeoutException("Read timed out");
        }
        if (position == wire.length) {
          return -1;
        }
        int count = Math.min(len, position < 10 ? 10 - position : wire.length - position);
        System.arraycopy(wire, position, b, off, count);
        position += count;
        return count;
      }
    };
    FrameReader reader = new FrameReader(flaky);
    assertThrows(SocketTimeoutException.class, reader::read);
    assertEquals(new Ack("m1"), reader.read());
    assertNull(reader.read());
  }

  @Test
  void rejectsNonsenseLimits() {
    assertThrows(IllegalArgumentException.class, () -> new FrameReader(stream(""), 0));
  }

  static List<Message> readAll(FrameReader reader) throws IOException, DecodeException {
    List<Message> messages = new ArrayList<>();
    for (Message m = reader.read(); m != null; m = reader.read()) {
      messages.add(m);
    }
    return messages;
  }

  private static FrameReader reader(String wire) {
    return new FrameReader(stream(wire));
  }

  /** The bytes of {@code wire}, one per read. */
  private static InputStream trickle(String wire) {
    return new InputStream() {
      final InputStream in = stream(wire);

      @Override
      public int read() throws IOException {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return len == 0 ? 0 : in.read(b, off, 1);
      }
    };
  }

  private static InputStream stream(String wire) {
    return new ByteArrayInputStream(wire.getBytes(UTF_8));
  }

  private static final class CountingStream extends InputStream {
    private final InputStream in;
    long count;

    CountingStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      count += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      count += Math.max(n, 0);
      return n;
    }
  }
}
