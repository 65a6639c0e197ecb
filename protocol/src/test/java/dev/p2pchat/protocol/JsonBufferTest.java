package dev.p2pchat.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.stream.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonBuffer must write exactly the bytes gson's JsonWriter (HTML escaping off) plus UTF-8 do. */
class JsonBufferTest {
  private static final char[] INTERESTING = {'"', '\\', '/', '\n', '\r', '\t', '\b', '\f', 0,
      0x1f, 0x7f, 0x80, 0xa0, 0x7ff, 0x800, 0x2028, 0x2029, 0xfeff, 0xfffd, 0xffff, 0xd800,
      0xdbff, 0xdc00, 0xdfff, '<', '>', '&', '=', '\''};

  @Test
  void everyCharacterEscapesAsGsonDoes() throws IOException {
    for (int c = 0; c <= 0xffff; c++) {
      String s = "a" + (char) c + "b";
      assertEquals(gson(s), buffered(s), "U+" + Integer.toHexString(c));
    }
  }

  @Test
  void randomStringsEncodeAsGsonDoes() throws IOException {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(40);
      for (int j = 0; j < length; j++) {
        switch (random.nextInt(4)) {
          case 0:
            s.append(INTERESTING[random.nextInt(INTERESTING.length)]);
            break;
          case 1:
            s.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a surrogate pair
            break;
          case 2:
            s.append((char) random.nextInt(0x10000)); // may be a lone surrogate
            break;
          default:
            s.append((char) (' ' + random.nextInt(95)));
        }
      }
      assertEquals(gson(s.toString()), buffered(s.toString()), s.toString());
    }
  }

  @Test
  void numbersAreWrittenAsGsonDoes() throws IOException {
    long[] values = {0, 1, 9, 10, 99, 100, 1_764_000_000_000L, 999_999_999_999_999_999L,
        1_000_000_000_000_000_000L, Long.MAX_VALUE, -1, -10,
        Long.MIN_VALUE};
    for (long value : values) {
      StringWriter expected = new StringWriter();
      new JsonWriter(expected).value(value).close();
      JsonBuffer buffer = new JsonBuffer(1);
      buffer.number(value);
      assertEquals(expected.toString(), buffer.toString());
    }
  }

  /** Long plain strings are copied whole; one special char anywhere must still be escaped. */
  @Test
  void longStringsWithOneSpecialCharEncodeAsGsonDoes() throws IOException {
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = printableAscii(random, 100);
      if (s.length() > 0 && random.nextBoolean()) {
        s.setCharAt(random.nextInt(s.length()), INTERESTING[random.nextInt(INTERESTING.length)]);
      }
      assertEquals(gson(s.toString()), buffered(s.toString()), s.toString());
    }
  }

  @Test
  void printableAsciiEscapesAsGsonDoes() throws IOException {
    Random random = new Random(13);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = printableAscii(random, 70);
      assertEquals(gson(s.toString()), new JsonBuffer(4).printableAscii(s.toString()).toString(),
          s.toString());
    }
  }

  @Test
  void randomNumbersAreWrittenAsLongToStringDoes() {
    Random random = new Random(9);
    for (int i = 0; i < 100_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      JsonBuffer buffer = new JsonBuffer(1);
      buffer.number(value);
      assertEquals(Long.toString(value), buffer.toString());
    }
  }

  @Test
  void writesItsBytesAndGrowsAsNeeded() throws IOException {
    JsonBuffer buffer = new JsonBuffer(1);
    buffer.ascii("{\"k\":").string("é".repeat(1000)).ascii('}');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    buffer.writeTo(out);
    assertEquals("{\"k\":\"" + "é".repeat(1000) + "\"}", out.toString(UTF_8));
    buffer.clear();
    assertEquals(0, buffer.size());
  }

  /** Up to {@code maxLength} random chars from ' ' to '~'. */
  private static StringBuilder printableAscii(Random random, int maxLength) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(maxLength);
    for (int j = 0; j < length; j++) {
      s.append((char) (' ' + random.nextInt(95)));
    }
    return s;
  }

  private static String gson(String value) throws IOException {
    StringWriter out = new StringWriter();
    JsonWriter json = new JsonWriter(out);
    json.setHtmlSafe(false);
    json.value(value).close();
    return new String(out.toString().getBytes(UTF_8), UTF_8);
  }

  private static String buffered(String value) {
    return new JsonBuffer(4).string(value).toString();
  }
}
