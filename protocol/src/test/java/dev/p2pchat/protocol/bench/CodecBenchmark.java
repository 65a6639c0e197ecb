package dev.p2pchat.protocol.bench;

import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.MessageCodec;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec on a typical chat line, in operations per second: encoding a message to its frame,
 * decoding one line, and reading a stream of frames with {@link FrameReader}. The baseline reads
 * the same stream as plain text lines (BufferedReader), which is all the transport does without
 * the codec.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class CodecBenchmark {
  static final int FRAMES = 1000;

  private ChatMessage line;
  private String encoded;
  private byte[] stream;

  @Setup
  public void setUp() {
    line = new ChatMessage("q8Zx3vT0bWk_R2mYc9LdHA", "alice",
        "the quick brown fox jumps over the lazy dog, 0123456789", 1_764_000_000_000L, null);
    encoded = MessageCodec.encode(line);
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    for (int i = 0; i < FRAMES; i++) {
      frames.writeBytes(MessageCodec.frame(line));
    }
    stream = frames.toByteArray();
  }

  @Benchmark
  public byte[] encodeFrame() {
    return MessageCodec.frame(line);
  }

  @Benchmark
  public Message decodeLine() throws DecodeException {
    return MessageCodec.decode(encoded);
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void readFrames(Blackhole out) throws IOException, DecodeException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(stream));
    for (Message m = reader.read(); m != null; m = reader.read()) {
      out.consume(m);
    }
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void readRawLines(Blackhole out) throws IOException {
    BufferedReader reader = new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(stream), StandardCharsets.UTF_8));
    for (String l = reader.readLine(); l != null; l = reader.readLine()) {
      out.consume(l);
    }
  }
}
