package dev.p2pchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the byte fast paths against gson on random frames near the shapes they take: msg
 * frames in the encoder's exact layout (which {@link PlainDecoder} matches in place) and
 * slightly off it, and acks of many ids. Each frame's outcome through {@link PlainDecoder} (with
 * gson only if it declines) must equal gson's alone.
 */
class PlainDecoderTest {
  private static final String[] PIECES = {"a", "Z", "0", "9", "-", "_", ":", " ", "\"", "\\",
      "\\\"", "\\n", "\\u0041", "\\u2028", "\n", "\t", "\u0001", "\u007f", "é", "ボ", "😀",
      "\u2028", "\u2029", "\u2026", "}", "{", ",", "[", "]"};
  private static final String[] NUMBERS = {"0", "7", "01", "-1", "-0", "1764000000000",
      "123456789012345678", "1234567890123456789", "99999999999999999999", "1.5", "1e3", "", "x",
      "17640000000/0", "176400000:000", "12345678/", "1234:", // a byte either side of the digits
      "\"1\"", "null", "true"};

  /** Senders as a stream's lines have them: mostly the last one again, sometimes nearly. */
  private static final String[] FROMS = {"alice", "alice", "alice", "alic", "alicex", "alice\\\"",
      "alice\\u0041", ""};

  /** One decoder reads every frame, as a stream's does, so that what it kept from the last is tried. */
  @Test
  void msgFramesDecodeAsGsonDoes() throws DecodeException {
    Random random = new Random(7);
    PlainDecoder decoder = new PlainDecoder();
    int plain = 0;
    int plainTexts = 0;
    for (int i = 0; i < 20_000; i++) {
      List<String> members = new ArrayList<>(List.of(
          "\"type\":\"msg\"",
          "\"id\":\"" + (random.nextInt(3) == 0 ? text(random) : Samples.nodeId(i)) + "\"",
          "\"from\":\"" + (random.nextInt(3) == 0 ? text(random) : FROMS[random.nextInt(FROMS.length)])
              + "\"",
          "\"text\":\"" + text(random) + "\"",
          "\"timestamp\":" + (random.nextInt(3) == 0 ? NUMBERS[random.nextInt(NUMBERS.length)]
              : String.valueOf(random.nextLong() >>> 1 >>> random.nextInt(63)))));
      switch (random.nextInt(8)) {
        case 0:
          members.add("\"to\":\"" + text(random) + "\"");
          break;
        case 1:
          members.add(random.nextInt(members.size()), "\"timestamp\":1");
          break;
        case 2:
          Collections.swap(members, random.nextInt(members.size()),
              random.nextInt(members.size()));
          break;
        case 3:
          members.remove(random.nextInt(members.size()));
          break;
        case 4:
          members.add(random.nextInt(members.size()), "\"x\":[\"y\"]");
          break;
        default: // the encoder's layout
      }
      byte[] frame = ("{" + String.join(",", members) + "}").getBytes(UTF_8);
      assertEquals(MessageCodecTest.outcome(frame, false), MessageCodecTest.outcome(frame, decoder),
          new String(frame, UTF_8));
      try {
        Message m = new PlainDecoder().decode(frame, 0, frame.length);
        if (m instanceof ChatMessage) {
          ChatMessage read = (ChatMessage) m;
          // The decoder vouches for a plain text; the constructor looks at it to say.
          ChatMessage made = new ChatMessage(read.id(), read.from(), read.text(), read.timestamp(), read.to());
          assertEquals(made.plainText(), read.plainText(), new String(frame, UTF_8));
          plainTexts += read.plainText() ? 1 : 0;
        }
        plain += m != null ? 1 : 0;
      } catch (DecodeException e) {
        plain++; // read by the fast path, and a field broke its rule
      }
    }
    // The fast path must take many frames and leave many to gson, or this tests little.
    assertTrue(plain > 4_000 && plain < 16_000, plain + " frames read by the fast path");
    assertTrue(plainTexts > 500 && plainTexts < plain, plainTexts + " of them with a plain text");
  }

  @Test
  void ackFramesDecodeAsGsonDoes() {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      List<String> ids = new ArrayList<>();
      int count = random.nextInt(5) == 0 ? random.nextInt(300) : 1 + random.nextInt(64);
      for (int k = 0; k < count; k++) {
        ids.add(random.nextInt(20) == 0 ? text(random) : Samples.nodeId(random.nextInt(1 << 20)));
      }
      String array = ids.isEmpty() ? "[]" : "[\"" + String.join("\",\"", ids) + "\"]";
      if (random.nextInt(10) == 0) {
        array = array.replace("\",\"", random.nextBoolean() ? "\", \"" : "\",,\"");
      }
      String runs = "";
      if (random.nextBoolean()) {
        List<String> written = new ArrayList<>();
        for (int k = random.nextInt(4); k >= 0; k--) {
          long first = 1 + random.nextInt(1 << 20);
          String last = random.nextInt(10) == 0 ? text(random) : LineNumbers.id(first + random.nextInt(3));
          written.add(LineNumbers.id(first) + "-" + last);
        }
        runs = ",\"runs\":[\"" + String.join("\",\"", written) + "\"]";
      }
      byte[] frame = ("{\"type\":\"ack\",\"ids\":" + array + runs + "}").getBytes(UTF_8);
      assertEquals(MessageCodecTest.outcome(frame, false), MessageCodecTest.outcome(frame, true),
          new String(frame, UTF_8));
    }
  }

  /**
   * Frames too short for an eight-byte read from their end are scanned byte by byte:
   * {"K":V} with a name and a value of a byte or two, some of them bytes no plain string holds.
   */
  @Test
  void framesShorterThanEightBytesDecodeAsGsonDoes() throws Exception {
    byte[] alphabet = {'"', 'a', '1', '\\', ' ', 0x01, 0x7f, (byte) 0xc3, (byte) 0xa9};
    Random random = new Random(5);
    int plain = 0;
    for (int i = 0; i < 20_000; i++) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write('{');
      frame.write('"');
      for (int k = random.nextInt(2); k > 0; k--) {
        frame.write(alphabet[random.nextInt(alphabet.length)]);
      }
      frame.write('"');
      frame.write(':');
      if (random.nextBoolean()) {
        frame.write('1');
      } else {
        frame.write('"');
        for (int k = random.nextInt(2); k > 0; k--) {
          frame.write(alphabet[random.nextInt(alphabet.length)]);
        }
        frame.write('"');
      }
      frame.write('}');
      byte[] bytes = frame.toByteArray();
      assertEquals(MessageCodecTest.outcome(bytes, false), MessageCodecTest.outcome(bytes, true),
          new String(bytes, UTF_8));
      try {
        plain += new PlainDecoder().decode(bytes, 0, bytes.length) != null ? 1 : 0;
      } catch (DecodeException e) {
        plain++; // read by the fast path, and found to break a rule (no type)
      }
    }
    assertTrue(plain > 5_000 && plain < 15_000, plain + " frames read by the fast path");
  }

  /** A FrameReader reuses one decoder: no field of a frame may show in the next. */
  @Test
  void framesReadInSequenceDecodeAsEachAlone() throws Exception {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      messages.add(Samples.nodeChat(i));
      messages.add(new ChatMessage(Samples.nodeId(i), "bob", "for you", i, "carol"));
      messages.add(Samples.nodeAck(i, 1 + i % 70));
      messages.add(new Ack("m" + i));
      messages.addAll(Samples.everyType());
    }
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    try (FrameWriter writer = new FrameWriter(wire)) {
      for (Message message : messages) {
        writer.write(message);
      }
    }
    FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()));
    for (Message message : messages) {
      assertEquals(message, reader.read());
    }
    assertEquals(null, reader.read());
  }

  private static String text(Random random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(40);
    for (int i = 0; i < length; i++) {
      s.append(random.nextInt(10) == 0 ? PIECES[random.nextInt(PIECES.length)]
          : String.valueOf((char) ('a' + random.nextInt(26))));
    }
    return s.toString();
  }
}
