package dev.p2pchat.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that JSON is written into directly as UTF-8. Strings are escaped exactly
 * as gson's {@code JsonWriter} does with HTML escaping off: {@code "}, {@code \}, control
 * characters and the line separators U+2028 and U+2029; everything else is sent as itself, so a
 * line never holds a raw line break. Writing bytes straight away saves the String, the
 * StringWriter and the separate UTF-8 pass of a Writer-based encoder.
 */
final class JsonBuffer {
  /** The escape of each ASCII character that needs one: controls, '"' and '\\'. */
  private static final String[] ESCAPES = new String[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ESCAPES[c] = String.format("\\u%04x", c);
    }
    ESCAPES['"'] = "\\\"";
    ESCAPES['\\'] = "\\\\";
    ESCAPES['\t'] = "\\t";
    ESCAPES['\b'] = "\\b";
    ESCAPES['\n'] = "\\n";
    ESCAPES['\r'] = "\\r";
    ESCAPES['\f'] = "\\f";
  }

  /** "00", "01", ... "99": the two digits of each number below 100. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int n = 0; n < 100; n++) {
      DIGIT_PAIRS[2 * n] = (byte) ('0' + n / 10);
      DIGIT_PAIRS[2 * n + 1] = (byte) ('0' + n % 10);
    }
  }

  /** 10^0 to 10^18. */
  static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int k = 1; k < POWERS_OF_TEN.length; k++) {
      POWERS_OF_TEN[k] = 10 * POWERS_OF_TEN[k - 1];
    }
  }

  /** From how many chars on a string is encoded by {@link #longString}. */
  private static final int LONG_STRING = 16;

  private byte[] bytes;
  private int size;
  /** What {@link #sameStringBody} wrote last, and as what bytes (null before the first). */
  private String lastString;
  private byte[] lastStringBytes;
  /** What {@link #sameNumber} wrote last, and as what bytes (null before the first). */
  private long lastNumber;
  private byte[] lastNumberBytes;

  JsonBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }

  /**
   * Appends ASCII text as it is: punctuation, field names, and text known to need no escape (a
   * chat line's {@linkplain ChatMessage#plainText() plain text}).
   */
  JsonBuffer ascii(String text) {
    ensure(text.length());
    copyAscii(text, 0, text.length());
    return this;
  }

  /** Appends {@code text[start, end)}, which is ASCII, one byte per char. */
  @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int) is exact for ASCII
  private void copyAscii(String text, int start, int end) {
    // A Latin-1 String copies its bytes with one System.arraycopy.
    text.getBytes(start, end, bytes, size);
    size += end - start;
  }

  JsonBuffer ascii(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /** Appends {@code value} as a quoted, escaped JSON string. */
  JsonBuffer string(String value) {
    return ascii('"').stringBody(value).ascii('"');
  }

  /** Appends {@code value} escaped as in a JSON string, without the quotes around it. */
  JsonBuffer stringBody(String value) {
    // Six bytes per char is the worst case (a "\u001f" escape); a UTF-8 sequence is shorter.
    ensure(6 * value.length());
    if (value.length() >= LONG_STRING) {
      longString(value);
    } else {
      // Most strings are ASCII without a quote or backslash: found by one tight loop and copied
      // whole, a quarter cheaper than encoding them char by char.
      int plain = plainLength(value);
      copyAscii(value, 0, plain);
      if (plain < value.length()) {
        escape(value, plain);
      }
    }
    return this;
  }

  /** Appends {@code number}, 1 to {@link LineNumbers#MAX}, as {@link LineNumbers#id} writes it. */
  JsonBuffer lineNumber(long number) {
    ensure(LineNumbers.MAX_DIGITS);
    size += LineNumbers.write(number, bytes, size);
    return this;
  }

  /**
   * {@link #stringBody} for a field that holds the same String frame after frame, such as a chat
   * line's sender: while it is the same instance, the bytes written last time are copied again.
   */
  JsonBuffer sameStringBody(String value) {
    if (value != lastString) {
      int start = size;
      stringBody(value);
      lastString = value;
      lastStringBytes = Arrays.copyOfRange(bytes, start, size);
      return this;
    }
    return copy(lastStringBytes);
  }

  /**
   * {@link #number} for a field that holds the same number frame after frame, such as a chat
   * line's timestamp (a node reads its clock once a millisecond): the digits written last time
   * are copied again while it is the same.
   */
  JsonBuffer sameNumber(long value) {
    if (value != lastNumber || lastNumberBytes == null) {
      int start = size;
      number(value);
      lastNumber = value;
      lastNumberBytes = Arrays.copyOfRange(bytes, start, size);
      return this;
    }
    return copy(lastNumberBytes);
  }

  private JsonBuffer copy(byte[] written) {
    ensure(written.length);
    System.arraycopy(written, 0, bytes, size, written.length);
    size += written.length;
    return this;
  }

  /** Appends the 8 to 24 bytes of {@code literal}, a few whole longs. */
  JsonBuffer literal(Literal literal) {
    ensure(literal.length());
    literal.writeTo(bytes, size);
    size += literal.length();
    return this;
  }

  /**
   * Appends a long string, escaped: the JDK encodes it to UTF-8 (for ASCII, one vectorised test
   * and a copy), which is then searched for bytes to escape eight at a time. A loop over its chars
   * costs about two cycles a char, whatever it tests.
   */
  private void longString(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (needsEscape(utf8)) {
      escape(value, 0);
    } else {
      System.arraycopy(utf8, 0, bytes, size, utf8.length);
      size += utf8.length;
    }
  }

  /**
   * Whether the UTF-8 {@code utf8} holds a byte JSON must escape ('"', '\\' or a control
   * character) or the line separator U+2028 or U+2029 (E2 80 A8, E2 80 A9), which gson escapes.
   */
  private static boolean needsEscape(byte[] utf8) {
    int i = 0;
    for (; i + Long.BYTES <= utf8.length; i += Long.BYTES) {
      long x = Swar.read(utf8, i);
      if ((Swar.escapes(x) | Swar.bytesEqual(x, (byte) 0xe2)) != 0) {
        break; // the bytes from here are tested one by one
      }
    }
    for (; i < utf8.length; i++) {
      byte b = utf8[i];
      if ((b >= 0 && b < 0x20) || b == '"' || b == '\\' || isLineSeparator(utf8, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLineSeparator(byte[] utf8, int i) {
    return utf8[i] == (byte) 0xe2 && i + 2 < utf8.length && utf8[i + 1] == (byte) 0x80
        && (utf8[i + 2] == (byte) 0xa8 || utf8[i + 2] == (byte) 0xa9);
  }

  /**
   * Appends {@code value}, which is known to be printable ASCII (an id or token, as its message's
   * constructor checks), as a JSON string.
   */
  JsonBuffer printableAscii(String value) {
    return ascii('"').printableAsciiBody(value).ascii('"');
  }

  /**
   * Appends the printable ASCII {@code value} as in a JSON string, without the quotes: only '"'
   * and '\\' can need an escape, and String.indexOf finds each with vector instructions (a JIT
   * intrinsic for Latin-1 strings), after which the string is copied whole.
   */
  JsonBuffer printableAsciiBody(String value) {
    if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
      return stringBody(value);
    }
    ensure(value.length());
    copyAscii(value, 0, value.length());
    return this;
  }

  /** How many chars at the start of {@code value} are ASCII that needs no escape. */
  private static int plainLength(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        return i;
      }
    }
    return value.length();
  }

  /** Appends {@code value} from char {@code start} on, escaped and encoded char by char. */
  private void escape(String value, int start) {
    byte[] b = bytes;
    int n = size;
    for (int i = start; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        b[n++] = (byte) c; // the common case, tested without a table lookup
      } else if (c < 0x80) {
        String escape = ESCAPES[c];
        for (int j = 0; j < escape.length(); j++) {
          b[n++] = (byte) escape.charAt(j);
        }
      } else if (c < 0x800) {
        b[n++] = (byte) (0xc0 | c >> 6);
        b[n++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        char low = i + 1 < value.length() ? value.charAt(i + 1) : 0;
        if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
          int cp = Character.toCodePoint(c, low);
          i++;
          b[n++] = (byte) (0xf0 | cp >> 18);
          b[n++] = (byte) (0x80 | (cp >> 12 & 0x3f));
          b[n++] = (byte) (0x80 | (cp >> 6 & 0x3f));
          b[n++] = (byte) (0x80 | (cp & 0x3f));
        } else {
          b[n++] = '?'; // as String.getBytes does; messages never hold one (their checks forbid it)
        }
      } else if (c == '\u2028' || c == '\u2029') {
        b[n++] = '\\';
        b[n++] = 'u';
        b[n++] = '2';
        b[n++] = '0';
        b[n++] = '2';
        b[n++] = (byte) (c == '\u2028' ? '8' : '9');
      } else {
        b[n++] = (byte) (0xe0 | c >> 12);
        b[n++] = (byte) (0x80 | (c >> 6 & 0x3f));
        b[n++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    size = n;
  }

  /** Appends {@code value} as a JSON number. */
  JsonBuffer number(long value) {
    if (value < 0) {
      return ascii(Long.toString(value));
    }
    int digits = digits(value);
    ensure(digits);
    int i = size + digits;
    // Eight digits at a time in int arithmetic, which is several times cheaper than long division,
    // and those as four pairs looked up in a table.
    while (value >= 100_000_000L) {
      long high = value / 100_000_000L;
      i -= 8;
      eightDigits(i, (int) (value - high * 100_000_000L));
      value = high;
    }
    int rest = (int) value;
    for (; rest >= 100; rest /= 100) {
      i -= 2;
      pair(i, rest % 100);
    }
    if (rest >= 10) {
      pair(i - 2, rest);
    } else {
      bytes[i - 1] = (byte) ('0' + rest);
    }
    size += digits;
    return this;
  }

  /**
   * How many decimal digits {@code value} (not negative) has: about log10(2) = 1233 / 4096 times
   * its number of bits, corrected by one comparison, rather than a comparison per digit.
   */
  private static int digits(long value) {
    int estimate = (64 - Long.numberOfLeadingZeros(value | 1)) * 1233 >>> 12;
    return value >= POWERS_OF_TEN[estimate] ? estimate + 1 : Math.max(estimate, 1);
  }

  /**
   * Writes {@code value}, below 10^8, as eight digits at {@code at}, with one long store. It is
   * split in lanes of a long, all at once: into two halves of four digits (32-bit lanes), those
   * into pairs (16-bit lanes), those into digits (bytes), dividing by multiplying with 2^n / d
   * rounded up, which is exact for these ranges.
   */
  private void eightDigits(int at, int value) {
    long high = value / 10_000;
    long lanes = high | (value - high * 10_000) << 32;
    long hundreds = (lanes * 10486 >>> 20) & 0x0000007f0000007fL; // 10486 / 2^20 = 1 / 100
    lanes = hundreds | (lanes - hundreds * 100) << 16;
    long tens = (lanes * 103 >>> 10) & 0x000f000f000f000fL; // 103 / 2^10 = 1 / 10
    lanes = tens | (lanes - tens * 10) << 8;
    Swar.write(bytes, at, lanes + 0x3030303030303030L); // '0' added to each digit
  }

  /** Writes {@code value}, below 100, as two digits at {@code at}. */
  private void pair(int at, int value) {
    bytes[at] = DIGIT_PAIRS[2 * value];
    bytes[at + 1] = DIGIT_PAIRS[2 * value + 1];
  }

  /** The contents, decoded from UTF-8. */
  @Override
  public String toString() {
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(size + more, 2 * bytes.length));
    }
  }
}
