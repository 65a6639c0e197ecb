package dev.p2pchat.protocol.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.MessageCodec;
import dev.p2pchat.protocol.Samples;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encode + decode throughput of typical {@code msg} frames through FrameWriter and FrameReader over
 * in-memory streams, next to a baseline that writes and reads the same bytes as raw lines
 * (BufferedWriter, BufferedReader.readLine) in the same run. Prints medians over several rounds.
 *
 * <p>Arguments: {@code [messagesPerRound [rounds [warmupRounds]]]}, default 100000 15 10 (fewer
 * warm-up rounds leave the hand-written codec short of its steady state in some runs).
 */
public final class CodecBenchmark {
  private long sink; // keeps the JIT from discarding the work

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    new CodecBenchmark().run(messages, rounds, warmup);
  }

  private void run(int count, int rounds, int warmup) throws IOException, DecodeException {
    List<Message> messages = new ArrayList<>(count);
    List<String> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ChatMessage message = Samples.chat(i);
      messages.add(message);
      lines.add(MessageCodec.encode(message));
    }
    byte[] wire = codecWrite(messages);
    System.out.printf("%d msg frames per round, %.0f bytes each on average, %d rounds after %d"
        + " warm-up rounds%n", count, (double) wire.length / count, rounds, warmup);
    if (!Arrays.equals(wire, baselineWrite(lines))) {
      throw new AssertionError("codec and baseline do not write the same bytes");
    }

    double[][] rates = new double[4][rounds];
    for (int round = -warmup; round < rounds; round++) {
      long t0 = System.nanoTime();
      byte[] written = codecWrite(messages);
      long t1 = System.nanoTime();
      codecRead(written, count);
      long t2 = System.nanoTime();
      written = baselineWrite(lines);
      long t3 = System.nanoTime();
      baselineRead(written, count);
      long t4 = System.nanoTime();
      if (round >= 0) {
        rates[0][round] = perSecond(count, t2 - t0);
        rates[1][round] = perSecond(count, t4 - t2);
        rates[2][round] = perSecond(count, t1 - t0);
        rates[3][round] = perSecond(count, t2 - t1);
      }
    }
    double codec = median(rates[0]);
    double baseline = median(rates[1]);
    System.out.printf("%-44s %,14.0f msg/s%n", "codec encode+decode (FrameWriter+FrameReader)",
        codec);
    System.out.printf("%-44s %,14.0f msg/s%n", "  of which encode (FrameWriter)", median(rates[2]));
    System.out.printf("%-44s %,14.0f msg/s%n", "  of which decode (FrameReader)", median(rates[3]));
    System.out.printf("%-44s %,14.0f msg/s%n", "baseline raw lines (Writer+readLine)", baseline);
    System.out.printf("%-44s %14.2f%n", "ratio codec / baseline", codec / baseline);
    System.out.printf("%-44s %,14.0f MB/s%n", "codec throughput on the wire",
        codec * wire.length / count / 1e6);
    System.out.println("(checksum " + sink + ")");
  }

  private static byte[] codecWrite(List<Message> messages) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(messages.size() * 128);
    FrameWriter writer = new FrameWriter(out);
    for (Message message : messages) {
      writer.write(message);
    }
    writer.flush();
    return out.toByteArray();
  }

  private void codecRead(byte[] wire, int expected) throws IOException, DecodeException {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));
    int read = 0;
    for (Message m = reader.read(); m != null; m = reader.read()) {
      sink += ((ChatMessage) m).timestamp();
      read++;
    }
    check(read, expected);
  }

  private static byte[] baselineWrite(List<String> lines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() * 128);
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, UTF_8));
    for (String line : lines) {
      writer.write(line);
      writer.write('\n');
    }
    writer.flush();
    return out.toByteArray();
  }

  private void baselineRead(byte[] wire, int expected) throws IOException {
    BufferedReader reader = new BufferedReader(
        new InputStreamReader(new ByteArrayInputStream(wire), UTF_8));
    int read = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      sink += line.length();
      read++;
    }
    check(read, expected);
  }

  private static void check(int read, int expected) {
    if (read != expected) {
      throw new AssertionError("read " + read + " frames, expected " + expected);
    }
  }

  private static double perSecond(int count, long nanos) {
    return count * 1e9 / nanos;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
