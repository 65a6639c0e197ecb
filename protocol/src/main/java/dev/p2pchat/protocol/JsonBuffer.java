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

  private byte[] bytes;
  private int size;

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

  /** Appends ASCII text as it is: punctuation and field names, never peer data. */
  JsonBuffer ascii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
    return this;
  }

  JsonBuffer ascii(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /** Appends {@code value} as a quoted, escaped JSON string. */
  JsonBuffer string(String value) {
    // Six bytes per char is the worst case (a "\u001f" escape); a UTF-8 sequence is shorter.
    ensure(6 * value.length() + 2);
    byte[] b = bytes;
    int n = size;
    b[n++] = '"';
    for (int i = 0; i < value.length(); i++) {
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
    b[n++] = '"';
    size = n;
    return this;
  }

  /** Appends {@code value} as a JSON number. */
  JsonBuffer number(long value) {
    if (value < 0) {
      return ascii(Long.toString(value));
    }
    int digits = 1;
    for (long power = 10; digits < 19 && value >= power; power *= 10) {
      digits++; // comparisons, not divisions: a timestamp has 13 digits
    }
    ensure(digits);
    int i = size + digits;
    // Eight digits at a time in int arithmetic, which is several times cheaper than long division.
    while (value >= 100_000_000L) {
      long high = value / 100_000_000L;
      int low = (int) (value - high * 100_000_000L);
      for (int k = 0; k < 8; k++) {
        bytes[--i] = (byte) ('0' + low % 10);
        low /= 10;
      }
      value = high;
    }
    int rest = (int) value;
    do {
      bytes[--i] = (byte) ('0' + rest % 10);
      rest /= 10;
    } while (rest > 0);
    size += digits;
    return this;
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
