package dev.p2pchat.protocol;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts messages to and from their one-line JSON form. Encoding never emits a raw line break;
 * decoding accepts strict JSON (RFC 8259) only, ignores fields it does not know, and reports every
 * problem as a {@link DecodeException}.
 */
public final class MessageCodec {
  /** How gson words a syntax error: "Unterminated string at line 1 column 9 path $.text". */
  private static final Pattern GSON_MESSAGE =
      Pattern.compile("(.+?) at line \\d+ column (\\d+)(?: path .*)?");

  private MessageCodec() {}

  /** The message as one line of JSON, without the trailing newline. */
  public static String encode(Message message) {
    JsonBuffer out = new JsonBuffer(128);
    encode(message, out);
    return out.toString();
  }

  /** Appends the message's line of JSON, without the trailing newline, to {@code out}. */
  static void encode(Message message, JsonBuffer out) {
    out.ascii("{\"type\":").string(message.type());
    if (message instanceof Hello) {
      Hello hello = (Hello) message;
      out.ascii(",\"protocolVersion\":").string(hello.protocolVersion());
      out.ascii(",\"nodeId\":").string(hello.nodeId());
      out.ascii(",\"nick\":").string(hello.nick());
      out.ascii(",\"appVersion\":").string(hello.appVersion());
      optional(out, ",\"address\":", hello.address());
    } else if (message instanceof ChatMessage) {
      ChatMessage chat = (ChatMessage) message;
      out.ascii(",\"id\":").string(chat.id());
      out.ascii(",\"from\":").string(chat.from());
      out.ascii(",\"text\":").string(chat.text());
      out.ascii(",\"timestamp\":").number(chat.timestamp());
      optional(out, ",\"to\":", chat.to());
    } else if (message instanceof Ack) {
      List<String> ids = ((Ack) message).ids();
      if (ids.size() == 1) {
        out.ascii(",\"id\":").string(ids.get(0));
      } else {
        out.ascii(",\"ids\":");
        array(out, ids);
      }
    } else if (message instanceof Ping) {
      Ping ping = (Ping) message;
      out.ascii(",\"token\":").string(ping.token());
      out.ascii(",\"timestamp\":").number(ping.timestamp());
    } else if (message instanceof Pong) {
      Pong pong = (Pong) message;
      out.ascii(",\"token\":").string(pong.token());
      out.ascii(",\"timestamp\":").number(pong.timestamp());
    } else if (message instanceof Peers) {
      out.ascii(",\"addresses\":");
      array(out, ((Peers) message).addresses());
    } else if (message instanceof Bye) {
      out.ascii(",\"reason\":").string(((Bye) message).reason());
    } else {
      ErrorMessage error = (ErrorMessage) message;
      out.ascii(",\"code\":").string(error.code().wireName());
      out.ascii(",\"reason\":").string(error.reason());
    }
    out.ascii('}');
  }

  private static void array(JsonBuffer out, List<String> values) {
    out.ascii('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.ascii(',');
      }
      out.string(values.get(i));
    }
    out.ascii(']');
  }

  private static void optional(JsonBuffer out, String name, String value) {
    if (value != null) {
      out.ascii(name).string(value);
    }
  }

  /**
   * Decodes one frame (a line without its terminator).
   *
   * @throws DecodeException if the line is not a valid message; its {@link DecodeException#code()}
   *     says why and {@link DecodeException#field()} names the offending field, if any
   */
  public static Message decode(String line) throws DecodeException {
    return toMessage(Fields.parse(line));
  }

  /**
   * Decodes the UTF-8 frame {@code bytes[start, end)} if it has the plain shape encoders write,
   * else returns null so that the caller decodes it as a String. Nearly every frame is plain, and
   * reading it straight from its bytes is several times faster than gson: it skips the frame's
   * String and its JSON tokenizer. Every error but a field's comes from the String path.
   */
  static Message decodePlain(byte[] bytes, int start, int end) throws DecodeException {
    Fields fields = Fields.parsePlain(bytes, start, end);
    return fields == null ? null : toMessage(fields);
  }

  private static Message toMessage(Fields fields) throws DecodeException {
    try {
      String type = Check.present("type", fields.string(Fields.TYPE));
      switch (type) {
        case Hello.TYPE:
          return new Hello(fields.string(Fields.PROTOCOL_VERSION), fields.string(Fields.NODE_ID),
              fields.string(Fields.NICK), fields.string(Fields.APP_VERSION),
              fields.string(Fields.ADDRESS));
        case ChatMessage.TYPE:
          return new ChatMessage(fields.string(Fields.ID), fields.string(Fields.FROM),
              fields.string(Fields.TEXT), fields.integer(Fields.TIMESTAMP),
              fields.string(Fields.TO));
        case Ack.TYPE:
          return ack(fields);
        case Ping.TYPE:
          return new Ping(fields.string(Fields.TOKEN), fields.integer(Fields.TIMESTAMP));
        case Pong.TYPE:
          return new Pong(fields.string(Fields.TOKEN), fields.integer(Fields.TIMESTAMP));
        case Peers.TYPE:
          return new Peers(fields.strings(Fields.ADDRESSES));
        case Bye.TYPE:
          return new Bye(fields.string(Fields.REASON));
        case ErrorMessage.TYPE:
          String code = fields.string(Fields.CODE);
          return new ErrorMessage(code == null ? null : ErrorCode.fromWireName(code),
              fields.string(Fields.REASON));
        default:
          throw new DecodeException(ErrorCode.UNKNOWN_TYPE, "type",
              "unknown message type " + Check.quote(type));
      }
    } catch (InvalidFieldException e) {
      throw new DecodeException(ErrorCode.INVALID_FIELD, e.field(), e.getMessage());
    }
  }

  /** An ack names one {@code id} or, from protocol 1.1, several {@code ids}; never both. */
  private static Ack ack(Fields fields) {
    String id = fields.string(Fields.ID);
    List<String> ids = fields.strings(Fields.IDS);
    if (id != null && ids != null) {
      throw new InvalidFieldException("ids", "an ack has id or ids, not both");
    }
    return ids == null ? new Ack(id) : new Ack(ids);
  }

  /**
   * The top-level fields some message type reads, streamed out of one JSON object, with their
   * JSON types checked on access. Other fields are skipped without being kept.
   */
  private static final class Fields {
    static final int TYPE = 0;
    static final int PROTOCOL_VERSION = 1;
    static final int NODE_ID = 2;
    static final int NICK = 3;
    static final int APP_VERSION = 4;
    static final int ADDRESS = 5;
    static final int ID = 6;
    static final int FROM = 7;
    static final int TEXT = 8;
    static final int TIMESTAMP = 9;
    static final int TO = 10;
    static final int TOKEN = 11;
    static final int ADDRESSES = 12;
    static final int REASON = 13;
    static final int CODE = 14;
    static final int IDS = 15;
    private static final String[] NAMES = {"type", "protocolVersion", "nodeId", "nick",
        "appVersion", "address", "id", "from", "text", "timestamp", "to", "token", "addresses",
        "reason", "code", "ids"};
    private static final byte[][] NAME_BYTES = new byte[NAMES.length][];
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    static {
      for (int field = 0; field < NAMES.length; field++) {
        NAME_BYTES[field] = NAMES[field].getBytes(StandardCharsets.ISO_8859_1);
      }
    }

    /** Bit {@code 1 << field} is set once the field has been read. */
    private int seen;
    /** The JSON type of each field read. */
    private final JsonToken[] kinds = new JsonToken[NAMES.length];
    /**
     * Strings as text; numbers as their literal, or as a Long if the plain path has parsed them;
     * the addresses as a list of strings.
     */
    private final Object[] values = new Object[NAMES.length];
    /**
     * For each array of strings read, the JSON type of its first element that is not a string;
     * made only by the gson path, which alone reads arrays.
     */
    private JsonToken[] badElements;
    /** Whether the string {@link #plainStringEnd} last found is all ASCII. */
    private boolean stringIsAscii;

    /**
     * Reads a frame that is one object whose values are strings without escapes, integers,
     * booleans, null or arrays of such strings, with no whitespace; returns null for anything else, including every kind
     * of error and every frame that may not be valid UTF-8, so that gson reads (and reports on)
     * it as before. The result equals gson's for every frame it accepts.
     */
    static Fields parsePlain(byte[] bytes, int start, int end) {
      int last = end - 1;
      if (end - start < 2 || bytes[start] != '{' || bytes[last] != '}') {
        return null;
      }
      Fields fields = new Fields();
      int i = start + 1;
      while (true) {
        if (bytes[i] != '"') {
          return null;
        }
        int nameEnd = fields.plainStringEnd(bytes, i + 1, end);
        if (nameEnd < 0 || nameEnd + 2 >= end || bytes[nameEnd + 1] != ':') {
          return null;
        }
        int field = indexOf(bytes, i + 1, nameEnd);
        i = nameEnd + 2;
        byte c = bytes[i];
        JsonToken kind;
        int valueEnd;
        boolean ascii = true;
        List<String> strings = null;
        if (c == '"') {
          kind = JsonToken.STRING;
          valueEnd = fields.plainStringEnd(bytes, i + 1, end);
          if (valueEnd < 0) {
            return null;
          }
          valueEnd++;
          ascii = fields.stringIsAscii;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          kind = JsonToken.NUMBER;
          valueEnd = integerEnd(bytes, i, end);
        } else if (c == '[') {
          kind = JsonToken.BEGIN_ARRAY;
          strings = new ArrayList<>();
          valueEnd = fields.plainArrayEnd(bytes, i + 1, end, strings);
        } else if (startsWith(bytes, i, end, NULL)) {
          kind = JsonToken.NULL;
          valueEnd = i + NULL.length;
        } else if (startsWith(bytes, i, end, TRUE)) {
          kind = JsonToken.BOOLEAN;
          valueEnd = i + TRUE.length;
        } else if (startsWith(bytes, i, end, FALSE)) {
          kind = JsonToken.BOOLEAN;
          valueEnd = i + FALSE.length;
        } else {
          return null; // an object, whitespace or not JSON
        }
        // A value must be followed by ',' or by the final '}'; anything else (a fraction,
        // an exponent, "nullx", ...) is for gson to judge.
        if (valueEnd < 0 || valueEnd > last || (bytes[valueEnd] != ',' && valueEnd != last)) {
          return null;
        }
        if (field >= 0) {
          if ((fields.seen & (1 << field)) != 0) {
            return null; // gson's path reports the duplicate
          }
          fields.seen |= 1 << field;
          fields.kinds[field] = kind;
          if (kind == JsonToken.STRING) {
            // ASCII is copied as Latin-1, the JDK's cheapest String constructor.
            fields.values[field] = new String(bytes, i + 1, valueEnd - i - 2,
                ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
          } else if (kind == JsonToken.NUMBER) {
            fields.values[field] = number(bytes, i, valueEnd);
          } else if (kind == JsonToken.BEGIN_ARRAY && (field == ADDRESSES || field == IDS)) {
            fields.values[field] = strings;
          }
        }
        if (valueEnd == last) {
          return fields;
        }
        i = valueEnd + 1;
        if (i >= last) {
          return null; // a trailing comma
        }
      }
    }

    /**
     * Where the string starting at {@code start} ends (its '"'); -1 if it has an escape, a raw
     * control character or malformed UTF-8. Every byte of a multi-byte sequence is at least 0x80,
     * so none is mistaken for '"' or '\\'.
     */
    private int plainStringEnd(byte[] bytes, int start, int end) {
      boolean ascii = true;
      for (int i = start; i < end; i++) {
        byte c = bytes[i];
        if (c < 0) {
          int length = utf8Length(bytes, i, end);
          if (length < 0) {
            return -1; // the strict path reports where
          }
          ascii = false;
          i += length - 1;
        } else if (c == '"') {
          stringIsAscii = ascii;
          return i;
        } else if (c == '\\' || c < 0x20) {
          return -1; // escapes are for gson to decode; raw control characters for it to reject
        }
      }
      return -1;
    }

    /**
     * Where the array of plain strings whose first element starts at {@code start} ends (just
     * past its ']'), its elements added to {@code strings}; -1 for any other array.
     */
    private int plainArrayEnd(byte[] bytes, int start, int end, List<String> strings) {
      int i = start;
      if (i < end && bytes[i] == ']') {
        return i + 1;
      }
      while (i < end && bytes[i] == '"') {
        int stringEnd = plainStringEnd(bytes, i + 1, end);
        if (stringEnd < 0 || stringEnd + 1 >= end) {
          return -1;
        }
        strings.add(new String(bytes, i + 1, stringEnd - i - 1,
            stringIsAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        i = stringEnd + 1;
        if (bytes[i] == ']') {
          return i + 1;
        }
        if (bytes[i] != ',') {
          return -1;
        }
        i++;
      }
      return -1;
    }

    /**
     * The length of the multi-byte UTF-8 sequence at {@code i}, or -1 if it is malformed (RFC
     * 3629: no overlong forms, no encoded surrogates, nothing above U+10FFFF). Checking while
     * scanning is cheaper than searching the decoded text for the U+FFFD the JDK puts in place of
     * malformed input.
     */
    private static int utf8Length(byte[] bytes, int i, int end) {
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
      if (end - i <= more) {
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

    /** The JSON integer {@code bytes[start, end)}: its value if plain, else its literal. */
    private static Object number(byte[] bytes, int start, int end) {
      if (end - start <= 18 && bytes[start] != '-') {
        long value = 0;
        for (int i = start; i < end; i++) {
          value = value * 10 + (bytes[i] - '0');
        }
        return value;
      }
      return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Where the JSON integer {@code -?(0|[1-9][0-9]*)} starting at {@code start} ends; or -1. */
    private static int integerEnd(byte[] bytes, int start, int end) {
      int i = bytes[start] == '-' ? start + 1 : start;
      if (i >= end || bytes[i] < '0' || bytes[i] > '9') {
        return -1;
      }
      if (bytes[i] == '0') {
        return i + 1; // a leading zero stands alone; "01" fails the caller's ',' or '}' check
      }
      while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
        i++;
      }
      return i;
    }

    private static boolean startsWith(byte[] bytes, int start, int end, byte[] prefix) {
      return end - start >= prefix.length
          && Arrays.equals(bytes, start, start + prefix.length, prefix, 0, prefix.length);
    }

    /** The field named by {@code bytes[start, end)}, without making a String of it; or -1. */
    private static int indexOf(byte[] bytes, int start, int end) {
      for (int field = 0; field < NAME_BYTES.length; field++) {
        byte[] name = NAME_BYTES[field];
        if (name.length == end - start
            && Arrays.equals(bytes, start, end, name, 0, name.length)) {
          return field;
        }
      }
      return -1;
    }

    static Fields parse(String line) throws DecodeException {
      if (line.isEmpty()) {
        throw new DecodeException(ErrorCode.BAD_MESSAGE, "the frame is empty");
      }
      Fields fields = new Fields();
      JsonReader json = new JsonReader(new StringReader(line));
      json.setStrictness(Strictness.STRICT);
      try {
        JsonToken first = json.peek();
        if (first != JsonToken.BEGIN_OBJECT) {
          throw new DecodeException(ErrorCode.BAD_MESSAGE,
              "the frame is " + describe(first) + ", not a JSON object");
        }
        json.beginObject();
        while (json.hasNext()) {
          fields.read(json.nextName(), json);
        }
        json.endObject();
      } catch (IOException | RuntimeException e) {
        // gson reports syntax errors as MalformedJsonException, IllegalStateException or
        // JsonParseException; all mean the same thing here.
        throw new DecodeException(ErrorCode.BAD_MESSAGE,
            "the frame is not valid JSON: " + gsonProblem(e));
      }
      try {
        if (json.peek() != JsonToken.END_DOCUMENT) {
          throw new IOException("more than one value");
        }
      } catch (IOException | RuntimeException e) {
        throw new DecodeException(ErrorCode.BAD_MESSAGE,
            "the frame has data after its JSON object");
      }
      return fields;
    }

    /** Reads the value of the field {@code name}, which the reader is at. */
    private void read(String name, JsonReader json) throws IOException, DecodeException {
      int field = indexOf(name);
      if (field < 0) {
        json.skipValue();
        return;
      }
      JsonToken kind = json.peek();
      if (kind == JsonToken.STRING || kind == JsonToken.NUMBER) {
        values[field] = json.nextString(); // a number's literal, as written
      } else if (kind == JsonToken.BEGIN_ARRAY && (field == ADDRESSES || field == IDS)) {
        values[field] = readStrings(field, json);
      } else {
        json.skipValue();
      }
      kinds[field] = kind;
      // Checked after the value so that a syntax error in it is reported as such.
      if ((seen & (1 << field)) != 0) {
        throw new DecodeException(ErrorCode.INVALID_FIELD, name,
            "invalid " + Check.quote(name) + " field: it appears more than once");
      }
      seen |= 1 << field;
    }

    private List<String> readStrings(int field, JsonReader json) throws IOException {
      List<String> strings = new ArrayList<>();
      json.beginArray();
      while (json.hasNext()) {
        JsonToken kind = json.peek();
        if (kind == JsonToken.STRING && badElement(field) == null) {
          strings.add(json.nextString());
        } else {
          if (badElement(field) == null) {
            if (badElements == null) {
              badElements = new JsonToken[NAMES.length];
            }
            badElements[field] = kind;
          }
          json.skipValue();
        }
      }
      json.endArray();
      return strings;
    }

    private JsonToken badElement(int field) {
      return badElements == null ? null : badElements[field];
    }

    private static int indexOf(String name) {
      switch (name) {
        case "type":
          return TYPE;
        case "protocolVersion":
          return PROTOCOL_VERSION;
        case "nodeId":
          return NODE_ID;
        case "nick":
          return NICK;
        case "appVersion":
          return APP_VERSION;
        case "address":
          return ADDRESS;
        case "id":
          return ID;
        case "from":
          return FROM;
        case "text":
          return TEXT;
        case "timestamp":
          return TIMESTAMP;
        case "to":
          return TO;
        case "token":
          return TOKEN;
        case "addresses":
          return ADDRESSES;
        case "reason":
          return REASON;
        case "code":
          return CODE;
        case "ids":
          return IDS;
        default:
          return -1;
      }
    }

    /** The string value, or null if absent or JSON null. */
    String string(int field) {
      JsonToken kind = kinds[field];
      if (kind == null || kind == JsonToken.NULL) {
        return null;
      }
      if (kind != JsonToken.STRING) {
        throw wrongType(field, "a string", kind);
      }
      return (String) values[field];
    }

    long integer(int field) {
      JsonToken kind = kinds[field];
      if (kind == null || kind == JsonToken.NULL) {
        throw new InvalidFieldException(NAMES[field], "it is missing");
      }
      if (kind != JsonToken.NUMBER) {
        throw wrongType(field, "an integer", kind);
      }
      if (values[field] instanceof Long) {
        return (Long) values[field];
      }
      String literal = (String) values[field];
      long value = plainLong(literal);
      if (value >= 0) {
        return value;
      }
      try {
        return new BigDecimal(literal).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new InvalidFieldException(NAMES[field], "it must be a whole number within 64 bits,"
            + " got " + Check.printable(literal, 40));
      }
    }

    /**
     * The value of a literal of 1 to 18 digits, which cannot overflow; else -1, leaving signs,
     * fractions, exponents and long literals to BigDecimal.
     */
    private static long plainLong(String literal) {
      if (literal.length() > 18) {
        return -1;
      }
      long value = 0;
      for (int i = 0; i < literal.length(); i++) {
        char c = literal.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        value = value * 10 + (c - '0');
      }
      return value;
    }

    /** The array of strings, or null if absent or JSON null. */
    @SuppressWarnings("unchecked")
    List<String> strings(int field) {
      JsonToken kind = kinds[field];
      if (kind == null || kind == JsonToken.NULL) {
        return null;
      }
      if (kind != JsonToken.BEGIN_ARRAY) {
        throw wrongType(field, "an array of strings", kind);
      }
      if (badElement(field) != null) {
        throw wrongType(field, "an array of strings", badElement(field));
      }
      return (List<String>) values[field];
    }

    private static InvalidFieldException wrongType(int field, String expected, JsonToken actual) {
      return new InvalidFieldException(NAMES[field], "it must be " + expected + ", got "
          + describe(actual));
    }

    private static String describe(JsonToken token) {
      switch (token) {
        case BEGIN_OBJECT:
          return "an object";
        case BEGIN_ARRAY:
          return "an array";
        case STRING:
          return "a string";
        case NUMBER:
          return "a number";
        case BOOLEAN:
          return "a boolean";
        case NULL:
          return "null";
        default:
          return "not JSON";
      }
    }

    /** gson's explanation in plain words, without its advice or the (peer-chosen) JSON path. */
    private static String gsonProblem(Exception e) {
      String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      Matcher parts = GSON_MESSAGE.matcher(message);
      if (!parts.matches()) {
        return Check.printable(message, 200);
      }
      String what = parts.group(1).startsWith("Use JsonReader.setStrictness")
          ? "unexpected character" // gson's advice to parse leniently, which we do not want
          : Character.toLowerCase(parts.group(1).charAt(0)) + parts.group(1).substring(1);
      return Check.printable(what + " at column " + parts.group(2), 200);
    }
  }
}
