package dev.p2pchat.protocol.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
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
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the codec over in-memory streams, for three kinds of frame, next to a baseline
 * that writes and reads the same bytes as raw lines (BufferedWriter, BufferedReader.readLine) in
 * the same rounds. Prints the median of each measurement over several rounds.
 *
 * <ul>
 *   <li><b>node msg</b>: a chat line as the node sends it ({@link Samples#nodeChat}: ASCII text,
 *       its line number as its id), about 130 bytes;
 *   <li><b>emoji msg</b>: {@link Samples#chat}, whose emoji takes the decoder's UTF-8 path; the
 *       raw-lines baseline uses these frames, as it always has;
 *   <li><b>ack</b>: batched acks of 64 node ids each ({@link Samples#nodeAck}), counted in ids.
 * </ul>
 *
 * <p>Encode is {@code FrameWriter.write} of ready-made messages into a reused in-memory stream;
 * decode is {@code FrameReader.read} over the written bytes, the message's construction and
 * validation included; build is the constructor alone (the sender's validation), from ready-made
 * field values.
 *
 * <p>Arguments: {@code [messagesPerRound [rounds [warmupRounds]]]}, default 100000 15 10 (fewer
 * warm-up rounds leave the hand-written codec short of its steady state in some runs).
 */
public final class CodecBenchmark {
  private static final int IDS_PER_ACK = 64;
  /**
   * How many distinct messages (and ids) there are; a round cycles through them. A node encodes a
   * message it has just built, so they should be in the CPU's caches, not spread over a heap of
   * 100,000 messages whose cache misses would swamp the codec's own time (about half of it).
   */
  private static final int POOL = 1024;

  private final int rounds;
  private final Map<String, double[]> rates = new LinkedHashMap<>();
  private final Sink out = new Sink();
  private long sink; // keeps the JIT from discarding the work

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    new CodecBenchmark(rounds).run(messages, warmup);
  }

  private CodecBenchmark(int rounds) {
    this.rounds = rounds;
  }

  private interface Task {
    void run() throws Exception;
  }

  private void run(int count, int warmup) throws Exception {
    List<Message> node = new ArrayList<>(count);
    List<Message> emoji = new ArrayList<>(count);
    List<String> lines = new ArrayList<>(count);
    String[] ids = new String[POOL];
    for (int i = 0; i < count; i++) {
      if (i < POOL) {
        node.add(Samples.nodeChat(i));
        emoji.add(Samples.chat(i));
        lines.add(MessageCodec.encode(emoji.get(i)));
        ids[i] = Samples.nodeId(i);
      } else {
        node.add(node.get(i % POOL));
        emoji.add(emoji.get(i % POOL));
        lines.add(lines.get(i % POOL));
      }
    }
    int ackCount = count / IDS_PER_ACK;
    int ackPool = POOL / IDS_PER_ACK;
    List<Message> acks = new ArrayList<>(ackCount);
    List<List<String>> ackIds = new ArrayList<>(ackCount);
    for (int i = 0; i < ackCount; i++) {
      Ack ack = i < ackPool ? Samples.nodeAck((long) i * IDS_PER_ACK, IDS_PER_ACK)
          : (Ack) acks.get(i % ackPool);
      acks.add(ack);
      ackIds.add(i < ackPool ? new ArrayList<>(ack.ids()) : ackIds.get(i % ackPool));
    }
    int ackIdCount = ackCount * IDS_PER_ACK;
    byte[] nodeWire = wire(node);
    byte[] emojiWire = wire(emoji);
    byte[] ackWire = wire(acks);
    if (!Arrays.equals(emojiWire, baselineWrite(lines))) {
      throw new AssertionError("codec and baseline do not write the same bytes");
    }
    System.out.printf("%d frames per round (%d acks of %d ids), %d distinct of each, %d rounds"
        + " after %d warm-up rounds%nbytes per frame: node msg %.0f, emoji msg %.0f, ack %.0f%n",
        count, ackCount, IDS_PER_ACK, POOL, rounds, warmup, (double) nodeWire.length / count,
        (double) emojiWire.length / count, (double) ackWire.length / ackCount);

    ChatMessage[] built = new ChatMessage[POOL];
    for (int round = -warmup; round < rounds; round++) {
      time(round, "node msg encode", count, () -> codecWrite(node));
      time(round, "node msg decode", count, () -> codecRead(nodeWire, count));
      time(round, "node msg build", count, () -> {
        for (int i = 0; i < count; i++) {
          built[i % POOL] = new ChatMessage(ids[i % POOL], "alice",
              "the quick brown fox jumps over the lazy dog, 0123456789", i, null);
        }
        sink += built[0].timestamp();
      });
      time(round, "ack encode (ids)", ackIdCount, () -> codecWrite(acks));
      time(round, "ack decode (ids)", ackIdCount, () -> codecRead(ackWire, ackCount));
      time(round, "ack build (ids)", ackIdCount, () -> {
        for (List<String> batch : ackIds) {
          sink += new Ack(batch).ids().size();
        }
      });
      time(round, "emoji msg encode", count, () -> codecWrite(emoji));
      time(round, "emoji msg decode", count, () -> codecRead(emojiWire, count));
      time(round, "baseline raw lines write+read", count, () -> baselineRead(baselineWrite(lines),
          count));
    }
    for (Map.Entry<String, double[]> entry : rates.entrySet()) {
      String unit = entry.getKey().contains("(ids)") ? "ids/s" : "msg/s";
      System.out.printf("%-44s %,14.0f %s%n", entry.getKey(), median(entry.getValue()), unit);
    }
    // encode+decode of one frame takes the sum of the two times
    double codec = 1 / (1 / median(rates.get("emoji msg encode"))
        + 1 / median(rates.get("emoji msg decode")));
    double baseline = median(rates.get("baseline raw lines write+read"));
    System.out.printf("%-44s %,14.0f msg/s%n", "emoji msg encode+decode", codec);
    System.out.printf("%-44s %14.2f%n", "ratio codec / baseline", codec / baseline);
    System.out.println("(checksum " + sink + ")");
  }

  private void time(int round, String name, int count, Task task) throws Exception {
    long start = System.nanoTime();
    task.run();
    long nanos = System.nanoTime() - start;
    if (round >= 0) {
      rates.computeIfAbsent(name, k -> new double[rounds])[round] = count * 1e9 / nanos;
    }
  }

  private void codecWrite(List<Message> messages) throws IOException {
    out.reset();
    FrameWriter writer = new FrameWriter(out);
    for (Message message : messages) {
      writer.write(message);
    }
    writer.flush();
  }

  private byte[] wire(List<Message> messages) throws IOException {
    codecWrite(messages);
    return out.toByteArray();
  }

  private void codecRead(byte[] wire, int expected) throws Exception {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire));
    int read = 0;
    for (Message m = reader.read(); m != null; m = reader.read()) {
      sink += m instanceof ChatMessage ? ((ChatMessage) m).timestamp() : ((Ack) m).ids().size();
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

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /**
   * An in-memory stream reused round after round, so that encode is not timed growing and
   * zeroing a fresh array of megabytes.
   */
  private static final class Sink extends OutputStream {
    private byte[] bytes = new byte[1 << 16];
    private int size;

    void reset() {
      size = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (size + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size + len, 2 * bytes.length));
      }
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }
  }
}
