package dev.p2pchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds mutated frames (bit flips, truncations, splices, inserted JSON tokens) to the decoder and
 * asserts it only ever returns a message or throws DecodeException, and that FrameReader, fed the
 * same frames in reads of random size, reports exactly what splitting the bytes into lines does.
 * Runs a fixed seed and three random ones; a failure names its seed, and
 * {@code -Dprotocol.fuzz.seed=N} re-runs just that one.
 */
@Timeout(60) // a reader stuck in a loop fails instead of hanging the build
class FuzzTest {
  private static final long FIXED_SEED = 0x5EED_C0DEL;
  private static final int FRAMES_PER_SEED = 5000;
  private static final String[] TOKENS = {"\"", "\\", "{", "}", "[", "]", ":", ",", "\\u",
      "\\ud800",
      "\\udc00", "1e999", "-0", "1.5", "null", "true", "\n", "\r", "\t", "\u0000", "é", "😀",
      "\"type\":\"msg\"", "\"type\":\"hello\"", "\"addresses\":[", "[[[[[[[[",
      "9999999999999999999999"};
  private static final byte[] RAW = {(byte) 0xff, (byte) 0xc0, (byte) 0x80, (byte) 0xed,
      (byte) 0xf4, (byte) 0xf8};

  static LongStream seeds() {
    String chosen = System.getProperty("protocol.fuzz.seed");
    if (chosen != null) {
      return LongStream.of(Long.decode(chosen));
    }
    return LongStream.concat(LongStream.of(FIXED_SEED), new SecureRandom().longs(3));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void decoderReturnsAMessageOrATypedError(long seed) {
    Mutator mutator = new Mutator(new Random(seed));
    int accepted = 0;
    EnumSet<ErrorCode> errors = EnumSet.noneOf(ErrorCode.class);
    for (int i = 0; i < FRAMES_PER_SEED; i++) {
      byte[] frame = mutator.next();
      String line = new String(frame, UTF_8);
      try {
        Message message = MessageCodec.decode(line);
        // Whatever is accepted must survive a round trip unchanged.
        assertEquals(message, MessageCodec.decode(MessageCodec.encode(message)));
        accepted++;
      } catch (DecodeException expected) {
        errors.add(expected.toErrorMessage().code()); // every error can be answered
      } catch (Throwable e) {
        fail("seed " + seed + ", frame " + i + ": " + HexFormat.of().formatHex(frame), e);
      }
    }
    // The mutations must reach both outcomes and every kind of decode error, or they test little.
    assertTrue(accepted > FRAMES_PER_SEED / 50, "seed " + seed + ": " + accepted + " accepted");
    assertEquals(EnumSet.of(ErrorCode.BAD_MESSAGE, ErrorCode.INVALID_FIELD, ErrorCode.UNKNOWN_TYPE),
        errors, "seed " + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void frameReaderStaysInStepThroughMutatedStreams(long seed) {
    Random random = new Random(seed);
    Mutator mutator = new Mutator(random);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int i = 0; i < FRAMES_PER_SEED; i++) {
      wire.writeBytes(mutator.next());
      String sentinel = MessageCodec.encode(new Ack("sentinel-" + i));
      wire.writeBytes(("\n" + sentinel + "\n").getBytes(UTF_8));
    }
    int maxFrameBytes = 64 + random.nextInt(128); // some corpus frames are longer
    FrameReader reader = new FrameReader(new Chunks(wire.toByteArray(), random), maxFrameBytes);
    List<Object> outcomes = new ArrayList<>();
    try {
      while (true) {
        try {
          Message message = reader.read();
          if (message == null) {
            break;
          }
          outcomes.add(message);
        } catch (DecodeException e) {
          outcomes.add(e.code()); // the next read continues with the next line
        }
      }
    } catch (Throwable e) {
      fail("seed " + seed + ", after " + outcomes.size() + " frames", e);
    }
    List<Object> expected = lineByLine(wire.toByteArray(), maxFrameBytes);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), i < outcomes.size() ? outcomes.get(i) : null,
          "seed " + seed + ", frame " + i);
    }
    assertEquals(expected.size(), outcomes.size(), "seed " + seed);
    assertTrue(expected.contains(ErrorCode.FRAME_TOO_LARGE), "seed " + seed);
  }

  /** The reference model: what each line of {@code wire} should read as, split the simple way. */
  private static List<Object> lineByLine(byte[] wire, int maxFrameBytes) {
    List<Object> outcomes = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < wire.length; i++) {
      if (wire[i] != '\n') {
        continue;
      }
      byte[] line = Arrays.copyOfRange(wire, start, i > start && wire[i - 1] == '\r' ? i - 1 : i);
      start = i + 1;
      if (line.length > maxFrameBytes) {
        outcomes.add(ErrorCode.FRAME_TOO_LARGE);
        continue;
      }
      String text;
      try {
        text = UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
      } catch (CharacterCodingException e) {
        outcomes.add(ErrorCode.BAD_MESSAGE);
        continue;
      }
      if (text.chars().allMatch(c -> c == ' ' || c == '\t')) { // blank lines are skipped
        continue;
      }
      try {
        outcomes.add(MessageCodec.decode(text));
      } catch (DecodeException e) {
        outcomes.add(e.code());
      }
    }
    return outcomes;
  }

  /** Delivers bytes in reads of random size, as a socket does, so frames straddle reads. */
  private static final class Chunks extends InputStream {
    private final ByteArrayInputStream in;
    private final Random random;

    Chunks(byte[] bytes, Random random) {
      this.in = new ByteArrayInputStream(bytes);
      this.random = random;
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, 1 + random.nextInt(300)));
    }
  }

  /** Produces mutated versions of valid frames. */
  private static final class Mutator {
    private final Random random;
    private final List<byte[]> corpus = new ArrayList<>();

    Mutator(Random random) {
      this.random = random;
      for (Message message : Samples.everyType()) {
        corpus.add(MessageCodec.encode(message).getBytes(UTF_8));
      }
      corpus.add(MessageCodec.encode(new ChatMessage("x", "名前", "\"quoted\" \\ ✓\nעברית 😀",
          5, "bob")).getBytes(UTF_8));
      corpus.add("{\"type\":\"ack\",\"id\":\"m\",\"extra\":{\"a\":[1,2.5e3,null,true]}}"
          .getBytes(UTF_8));
    }

    byte[] next() {
      byte[] frame = corpus.get(random.nextInt(corpus.size()));
      int mutations = 1 + random.nextInt(4);
      for (int i = 0; i < mutations; i++) {
        frame = mutate(frame);
      }
      return frame;
    }

    private byte[] mutate(byte[] frame) {
      int at = frame.length == 0 ? 0 : random.nextInt(frame.length);
      switch (random.nextInt(7)) {
        case 0: // flip one bit
          if (frame.length > 0) {
            frame = frame.clone();
            frame[at] ^= (byte) (1 << random.nextInt(8));
          }
          return frame;
        case 1: // truncate
          return Arrays.copyOf(frame, at);
        case 2: // splice: a prefix of this frame and a suffix of another
          byte[] other = corpus.get(random.nextInt(corpus.size()));
          int from = random.nextInt(other.length);
          return concat(Arrays.copyOf(frame, at), Arrays.copyOfRange(other, from, other.length));
        case 3: // insert a JSON token
          return insert(frame, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(UTF_8));
        case 4: // insert a byte that is never valid UTF-8 on its own
          return insert(frame, at, new byte[] {RAW[random.nextInt(RAW.length)]});
        case 5: // delete a range
          int end = Math.min(frame.length, at + 1 + random.nextInt(8));
          return concat(Arrays.copyOf(frame, at), Arrays.copyOfRange(frame, end, frame.length));
        default: // duplicate a range
          int stop = Math.min(frame.length, at + 1 + random.nextInt(32));
          return insert(frame, at, Arrays.copyOfRange(frame, at, stop));
      }
    }

    private static byte[] insert(byte[] frame, int at, byte[] bytes) {
      return concat(concat(Arrays.copyOf(frame, at), bytes),
          Arrays.copyOfRange(frame, at, frame.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] joined = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, joined, a.length, b.length);
      return joined;
    }
  }
}
