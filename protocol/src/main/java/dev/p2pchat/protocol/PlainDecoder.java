package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.MessageCodec.CHAT_FROM;
import static dev.p2pchat.protocol.MessageCodec.CHAT_ID;
import static dev.p2pchat.protocol.MessageCodec.CHAT_TEXT;
import static dev.p2pchat.protocol.MessageCodec.CHAT_TIMESTAMP;

import com.google.gson.stream.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes frames of the plain shape encoders write straight from their UTF-8 bytes, in one pass:
 * one object whose values are strings without escapes, integers, booleans, null or arrays of such
 * strings, with no whitespace. Anything else, including every kind of error and every frame that
 * may not be valid UTF-8, gives null, so that gson reads (and reports on) it as before; for every
 * frame it accepts the result equals gson's. Nearly every frame is plain, and reading it here is
 * several times faster than gson: no String of the frame, no tokenizer.
 *
 * <p>One instance serves a stream frame after frame (its {@link Fields} are cleared, not made
 * anew). Not thread-safe.
 */
final class PlainDecoder {
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final int LONGEST_NAME = 15;
  private static final byte DEL = 0x7f;
  /** Eight '0' digits, as {@link Swar#read} reads them. */
  private static final long ZEROS = 0x3030303030303030L;
  /**
   * The field of each name length and second byte, a pair no two field names share (the class
   * initializer checks); -1 where none. Finds a name's only candidate without trying them all.
   */
  private static final int[] FIELD_BY_SHAPE = new int[(LONGEST_NAME + 1) << 7];
  private static final byte[][] NAME_BYTES = new byte[Fields.NAMES.length][];
  /** Each field name's first eight bytes (zero-padded) and its last eight, as LONGS reads them. */
  private static final long[] NAME_HEADS = new long[Fields.NAMES.length];
  private static final long[] NAME_TAILS = new long[Fields.NAMES.length];
  /** The message types, most frequent first, as they are compared in that order. */
  private static final String[] TYPES = {ChatMessage.TYPE, Ack.TYPE, Ping.TYPE, Pong.TYPE,
      Hello.TYPE, Peers.TYPE, Bye.TYPE, ErrorMessage.TYPE};

  static {
    Arrays.fill(FIELD_BY_SHAPE, -1);
    for (int field = 0; field < Fields.NAMES.length; field++) {
      byte[] name = Fields.NAMES[field].getBytes(StandardCharsets.ISO_8859_1);
      NAME_BYTES[field] = name;
      NAME_HEADS[field] = Swar.read(Arrays.copyOf(name, Math.max(name.length, 8)), 0);
      NAME_TAILS[field] = name.length < 8 ? 0 : Swar.read(name, name.length - 8);
      int shape = shape(name, 0, name.length);
      if (FIELD_BY_SHAPE[shape] >= 0) {
        throw new AssertionError("two field names of the same length and second byte");
      }
      FIELD_BY_SHAPE[shape] = field;
    }
  }

  private final Fields fields = new Fields();
  /** The strings of the array being read, before they are copied into a list of their own. */
  private final List<String> elements = new ArrayList<>();
  /** Whether the string {@link #stringEnd} last found is all ASCII. */
  private boolean ascii;
  /**
   * The sender of the last msg read and its bytes, a string {@link #stringEnd} took: a stream's
   * lines nearly all come from one sender, whose name is then neither scanned nor copied again.
   */
  private String lastFrom = "";
  private byte[] lastFromBytes = {};

  /**
   * The message in the frame {@code bytes[start, end)}, or null if the frame is not plain (for the
   * caller to decode it as a String, on gson's path). Every error but a field's comes from that
   * path: a plain frame whose field breaks its rule throws here.
   */
  Message decode(byte[] bytes, int start, int end) throws DecodeException {
    ChatMessage chat = chat(bytes, start, end);
    if (chat != null) {
      return chat;
    }
    return read(bytes, start, end) ? MessageCodec.toMessage(fields) : null;
  }

  /**
   * The msg frame {@code bytes[start, end)} if it is laid out exactly as MessageCodec writes one
   * to everyone, with plain strings; else null, for {@link #read} to read it member by member.
   * Nearly every frame is such a line, and matching its names in place of looking each one up
   * saves about a third of the time to decode it.
   */
  private ChatMessage chat(byte[] bytes, int start, int end) throws DecodeException {
    int last = end - 1;
    if (!CHAT_ID.at(bytes, start, last) || bytes[last] != '}') {
      return null;
    }
    int idStart = start + CHAT_ID.length();
    int idEnd = stringEnd(bytes, idStart, last);
    if (idEnd < 0) {
      return null;
    }
    long number = LineNumbers.number(bytes, idStart, idEnd);
    String id = number > 0 ? null : text(bytes, idStart, idEnd); // made only if asked for
    if (!CHAT_FROM.at(bytes, idEnd, last)) {
      return null;
    }
    int fromStart = idEnd + CHAT_FROM.length();
    int fromEnd = fromStart + lastFromBytes.length;
    String from = lastFrom;
    if (fromEnd >= last || bytes[fromEnd] != '"'
        || !Arrays.equals(bytes, fromStart, fromEnd, lastFromBytes, 0, lastFromBytes.length)) {
      fromEnd = stringEnd(bytes, fromStart, last);
      if (fromEnd < 0) {
        return null;
      }
      from = text(bytes, fromStart, fromEnd);
      lastFrom = from;
      lastFromBytes = Arrays.copyOfRange(bytes, fromStart, fromEnd);
    }
    int textStart = fromEnd + CHAT_TEXT.length();
    int textEnd = CHAT_TEXT.at(bytes, fromEnd, last) ? stringEnd(bytes, textStart, last) : -1;
    if (textEnd < 0) {
      return null;
    }
    String text = text(bytes, textStart, textEnd);
    boolean textAscii = ascii; // then plain: see stringEnd
    long timestamp = CHAT_TIMESTAMP.at(bytes, textEnd, last)
        ? digits(bytes, textEnd + CHAT_TIMESTAMP.length(), last) : -1;
    if (timestamp < 0) {
      return null;
    }
    return MessageCodec.chat(id, number, from, text, timestamp, null, textAscii);
  }

  /**
   * The value of {@code bytes[start, end)} if it is 1 to 18 digits, not starting with 0 unless it
   * is "0" (what {@link Fields#integer} reads exactly from any path); else -1. Eight digits at a
   * time, the last few too: {@code start} is at least eight bytes into the frame, so the eight
   * bytes that end with them can be read, with those before them taken as '0's.
   */
  private static long digits(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 18 || (bytes[start] == '0' && length > 1)) {
      return -1;
    }
    long value = 0;
    int i = start;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long eight = Swar.eightDigits(Swar.read(bytes, i));
      if (eight < 0) {
        return -1;
      }
      value = value * 100_000_000 + eight;
    }
    if (i == end) {
      return value;
    }
    long read = -1L << (8 * (i - (end - Long.BYTES))); // the bytes from i on
    long rest = Swar.eightDigits(Swar.read(bytes, end - Long.BYTES) & read | ZEROS & ~read);
    return rest < 0 ? -1 : value * JsonBuffer.POWERS_OF_TEN[end - i] + rest;
  }

  /** Reads the frame's members into {@link #fields}; false if the frame is not plain. */
  private boolean read(byte[] bytes, int start, int end) {
    fields.clear();
    int last = end - 1; // the closing '}', which also stops every scan below
    if (end - start < 2 || bytes[start] != '{' || bytes[last] != '}') {
      return false;
    }
    int i = start + 1;
    while (true) {
      i = member(bytes, i, last);
      if (i < 0) {
        return false;
      }
      if (i == last) {
        return true;
      }
      i++; // past the ','
      if (i == last) {
        return false; // a trailing comma
      }
    }
  }

  /**
   * Reads the member {@code "name":value} at {@code i}; returns where it ends, at a ',' or at the
   * closing '}' ({@code last}), or -1 if it is not plain or repeats a field (for gson to report).
   */
  private int member(byte[] bytes, int i, int last) {
    if (bytes[i] != '"') {
      return -1;
    }
    int nameEnd = stringEnd(bytes, i + 1, last);
    if (nameEnd < 0 || bytes[nameEnd + 1] != ':') {
      return -1;
    }
    int field = field(bytes, i + 1, nameEnd);
    if (field >= 0 && fields.has(field)) {
      return -1;
    }
    int end = value(bytes, nameEnd + 2, last, field);
    // A value must be followed by ',' or by the final '}'; anything else (a fraction, an
    // exponent, "nullx", ...) is for gson to judge.
    return end < 0 || (end != last && bytes[end] != ',') ? -1 : end;
  }

  /** Reads the value at {@code i} into {@code field} (if known, i.e. not -1); where it ends. */
  private int value(byte[] bytes, int i, int last, int field) {
    byte c = bytes[i];
    if (c == '"') {
      return string(bytes, i, last, field);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      return integer(bytes, i, last, field);
    } else if (c == '[') {
      return array(bytes, i, last, field);
    } else if (c == 'n') {
      return literal(bytes, i, last, NULL, JsonToken.NULL, field);
    } else if (c == 't') {
      return literal(bytes, i, last, TRUE, JsonToken.BOOLEAN, field);
    } else if (c == 'f') {
      return literal(bytes, i, last, FALSE, JsonToken.BOOLEAN, field);
    }
    return -1; // an object, whitespace or not JSON
  }

  private int string(byte[] bytes, int i, int last, int field) {
    int close = stringEnd(bytes, i + 1, last);
    if (close < 0) {
      return -1;
    }
    if (field == Fields.TYPE) {
      String type = knownType(bytes, i + 1, close);
      fields.put(field, JsonToken.STRING, type != null ? type : text(bytes, i + 1, close));
    } else if (field >= 0) {
      fields.put(field, JsonToken.STRING, text(bytes, i + 1, close));
    }
    return close + 1;
  }

  /**
   * Reads the integer {@code -?(0|[1-9][0-9]*)} at {@code i}, parsing it on the way; a negative
   * one or one of 19 digits or more (which may not fit) is kept as its literal for {@link
   * Fields#integer} to judge as gson's path does.
   */
  private int integer(byte[] bytes, int i, int last, int field) {
    int j = bytes[i] == '-' ? i + 1 : i;
    if (j == last || bytes[j] < '0' || bytes[j] > '9') {
      return -1;
    }
    long value = 0;
    if (bytes[j] == '0') {
      j++; // a leading zero stands alone; "01" fails the caller's ',' or '}' check
    } else {
      for (; j < last && bytes[j] >= '0' && bytes[j] <= '9'; j++) {
        value = value * 10 + (bytes[j] - '0');
      }
    }
    if (field < 0) {
      return j;
    }
    if (j - i <= 18 && bytes[i] != '-') {
      fields.putInteger(field, value);
    } else {
      fields.put(field, JsonToken.NUMBER,
          new String(bytes, i, j - i, StandardCharsets.ISO_8859_1));
    }
    return j;
  }

  /**
   * Reads the array of plain strings at {@code i} (kept only for the fields that are arrays of
   * strings); where it ends, just past its ']', or -1 for any other array.
   */
  private int array(byte[] bytes, int i, int last, int field) {
    boolean keep = Fields.holdsStrings(field);
    elements.clear();
    int j = i + 1;
    if (bytes[j] != ']') {
      while (true) {
        if (bytes[j] != '"') {
          return -1;
        }
        int close = stringEnd(bytes, j + 1, last);
        if (close < 0) {
          return -1;
        }
        if (keep) {
          elements.add(text(bytes, j + 1, close));
        }
        j = close + 1;
        if (bytes[j] == ']') {
          break;
        }
        if (bytes[j] != ',') {
          return -1;
        }
        j++;
      }
    }
    if (field >= 0) {
      // An ArrayList, as gson's path gives and nodes build: the constructors' checks then see
      // one type of list, which keeps their loops as fast as the JIT can make them.
      fields.put(field, JsonToken.BEGIN_ARRAY, keep ? new ArrayList<>(elements) : null);
    }
    return j + 1;
  }

  private int literal(byte[] bytes, int i, int last, byte[] word, JsonToken kind, int field) {
    int end = i + word.length;
    if (end > last || !Arrays.equals(bytes, i, end, word, 0, word.length)) {
      return -1;
    }
    if (field >= 0) {
      fields.put(field, kind, null);
    }
    return end;
  }

  /**
   * Where the string starting at {@code start} ends (its '"'); -1 if it has an escape, a raw
   * control character (DEL included) or malformed UTF-8, or is not closed before {@code last}.
   * Every byte of a multi-byte sequence is at least 0x80, so none is mistaken for '"' or '\\'.
   * An ASCII string it ends is therefore printable ASCII without '"' or '\\'.
   */
  private int stringEnd(byte[] bytes, int start, int last) {
    boolean ascii = true;
    int i = start;
    while (true) {
      i = plainRunEnd(bytes, i, last);
      if (i == last) {
        return -1;
      }
      byte c = bytes[i];
      if (c == '"') {
        this.ascii = ascii;
        return i;
      }
      if (c >= 0) {
        return -1; // escapes are for gson to decode; raw control characters for it to reject
      }
      int length = utf8Length(bytes, i, last);
      if (length < 0) {
        return -1; // the strict path reports where
      }
      ascii = false;
      i += length;
    }
  }

  /**
   * The first byte from {@code i} on that is '"', '\\', a control character (DEL included, which
   * no field allows: gson's path reports it) or not ASCII; {@code last} if none is before it. Tests
   * eight bytes at a time, the last few too ({@link Swar#readTail}): text is most of a frame's bytes.
   */
  private static int plainRunEnd(byte[] bytes, int i, int last) {
    for (; i + Long.BYTES <= last; i += Long.BYTES) {
      long specials = Swar.notPlain(Swar.read(bytes, i));
      if (specials != 0) {
        return i + Swar.first(specials);
      }
    }
    if (i == last) {
      return last;
    }
    if (last < Long.BYTES) {
      return plainRunEndByBytes(bytes, i, last);
    }
    long specials = Swar.notPlain(Swar.readTail(bytes, i, last));
    return specials == 0 ? last : i + Swar.first(specials);
  }

  /** {@link #plainRunEnd} in an array too short to read eight bytes from {@code last - 8}. */
  private static int plainRunEndByBytes(byte[] bytes, int i, int last) {
    for (; i < last; i++) {
      byte c = bytes[i];
      if (c < 0x20 || c == '"' || c == '\\' || c == DEL) { // a byte of 0x80 or more is negative
        return i;
      }
    }
    return last;
  }

  /**
   * The length of the multi-byte UTF-8 sequence at {@code i}, or -1 if it is malformed (RFC
   * 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF) or reaches {@code
   * last}. Checking while scanning is cheaper than searching the decoded text for the U+FFFD the
   * JDK puts in place of malformed input.
   */
  private static int utf8Length(byte[] bytes, int i, int last) {
    int b = bytes[i];
    int more;
    int codePoint;
    int min;
    if ((b & 0xe0) == 0xc0) {
      more = 1;
      codePoint = b & 0x1f;
      min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
      more = 2;
      codePoint = b & 0x0f;
      min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
      more = 3;
      codePoint = b & 0x07;
      min = 0x10000;
    } else {
      return -1; // a continuation byte without a lead, or 0xf8-0xff
    }
    if (last - i <= more) {
      return -1;
    }
    for (int k = 1; k <= more; k++) {
      int next = bytes[i + k];
      if ((next & 0xc0) != 0x80) {
        return -1;
      }
      codePoint = codePoint << 6 | (next & 0x3f);
    }
    if (codePoint < min || codePoint > Character.MAX_CODE_POINT
        || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
      return -1;
    }
    return more + 1;
  }

  /** The string {@code bytes[start, end)} that {@link #stringEnd} has just scanned. */
  @SuppressWarnings("deprecation") // String(byte[], int, int, int) is exact for ASCII
  private String text(byte[] bytes, int start, int end) {
    // ASCII goes through the JDK's old Latin-1 constructor: a copy of the bytes, small enough to
    // be inlined, where the Charset one is a call into 840 bytecodes of charset dispatch.
    return ascii ? new String(bytes, 0, start, end - start)
        : new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  /** The field named by {@code bytes[start, end)}, without making a String of it; or -1. */
  private static int field(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length < 2 || length > LONGEST_NAME) {
      return -1;
    }
    int field = FIELD_BY_SHAPE[shape(bytes, start, end)];
    return field >= 0 && isName(bytes, start, end, field) ? field : -1;
  }

  /**
   * Whether {@code bytes[start, end)} is the name of {@code field}, which has its length: one or
   * two comparisons of eight bytes at a time, the head masked to the name's length.
   */
  private static boolean isName(byte[] bytes, int start, int end, int field) {
    int length = end - start;
    if (start + Long.BYTES > bytes.length) { // a short name at the very end of the array
      return Arrays.equals(bytes, start, end, NAME_BYTES[field], 0, length);
    }
    long head = Swar.read(bytes, start);
    if (length < Long.BYTES) {
      head &= (1L << (length << 3)) - 1; // little-endian: the name is the low bytes
    }
    return head == NAME_HEADS[field]
        && (length <= Long.BYTES || Swar.read(bytes, end - Long.BYTES) == NAME_TAILS[field]);
  }

  /** A name of 2 to {@link #LONGEST_NAME} bytes as an index into {@link #FIELD_BY_SHAPE}. */
  private static int shape(byte[] bytes, int start, int end) {
    return (end - start) << 7 | (bytes[start + 1] & 0x7f);
  }

  /**
   * The constant for the message type {@code bytes[start, end)}, so that no String is made for it
   * and the type switch finds its hash cached; null if it is no type this version knows.
   */
  private static String knownType(byte[] bytes, int start, int end) {
    for (String type : TYPES) {
      if (equalsAscii(bytes, start, end, type)) {
        return type;
      }
    }
    return null;
  }

  private static boolean equalsAscii(byte[] bytes, int start, int end, String s) {
    if (end - start != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (bytes[start + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
