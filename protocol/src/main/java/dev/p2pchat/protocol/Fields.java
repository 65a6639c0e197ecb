package dev.p2pchat.protocol;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level fields some message type reads, out of one JSON object, with their JSON types
 * checked on access. Other fields are skipped without being kept. Filled either by gson
 * ({@link #parse}) or, for plain frames, by {@link PlainDecoder}, which reuses one instance
 * frame after frame ({@link #clear}).
 */
final class Fields {
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
  static final int RUNS = 16;
  static final String[] NAMES = {"type", "protocolVersion", "nodeId", "nick", "appVersion",
      "address", "id", "from", "text", "timestamp", "to", "token", "addresses", "reason", "code",
      "ids", "runs"};
  /** How gson words a syntax error: "Unterminated string at line 1 column 9 path $.text". */
  private static final Pattern GSON_MESSAGE =
      Pattern.compile("(.+?) at line \\d+ column (\\d+)(?: path .*)?");

  /**
   * Bit {@code 1 << field} is set once the field has been read; the arrays below hold what
   * earlier frames left for every other field.
   */
  private int seen;
  /** The JSON type of each field read. */
  private final JsonToken[] kinds = new JsonToken[NAMES.length];
  /**
   * Strings as text; numbers as their literal, or null if the plain path has parsed them into
   * {@link #integers}; arrays of strings as lists.
   */
  private final Object[] values = new Object[NAMES.length];
  /** The numbers the plain path has parsed, where {@link #values} holds null. */
  private final long[] integers = new long[NAMES.length];
  /**
   * For each array of strings read, the JSON type of its first element that is not a string;
   * made only by the gson path, which alone reads arrays with other elements.
   */
  private JsonToken[] badElements;

  /** Forgets every field, for the next frame. */
  void clear() {
    for (int bits = seen; bits != 0; bits &= bits - 1) {
      values[Integer.numberOfTrailingZeros(bits)] = null; // lets the last frame's strings go
    }
    seen = 0;
  }

  boolean has(int field) {
    return (seen & 1 << field) != 0;
  }

  /** Records a field not read before: its type and its value (see {@link #values}). */
  void put(int field, JsonToken kind, Object value) {
    seen |= 1 << field;
    kinds[field] = kind;
    values[field] = value;
  }

  /** Records an integer field not read before, parsed already. */
  void putInteger(int field, long value) {
    put(field, JsonToken.NUMBER, null);
    integers[field] = value;
  }

  private JsonToken kind(int field) {
    return has(field) ? kinds[field] : null;
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
    Object value = null;
    if (kind == JsonToken.STRING || kind == JsonToken.NUMBER) {
      value = json.nextString(); // a number's literal, as written
    } else if (kind == JsonToken.BEGIN_ARRAY && holdsStrings(field)) {
      value = readStrings(field, json);
    } else {
      json.skipValue();
    }
    // Checked after the value so that a syntax error in it is reported as such.
    if (has(field)) {
      throw new DecodeException(ErrorCode.INVALID_FIELD, name,
          "invalid " + Check.quote(name) + " field: it appears more than once");
    }
    put(field, kind, value);
  }

  /** Whether {@code field} is an array of strings. */
  static boolean holdsStrings(int field) {
    return field == ADDRESSES || field == IDS || field == RUNS;
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
      case "runs":
        return RUNS;
      default:
        return -1;
    }
  }

  /** The string value, or null if absent or JSON null. */
  String string(int field) {
    JsonToken kind = kind(field);
    if (kind == null || kind == JsonToken.NULL) {
      return null;
    }
    if (kind != JsonToken.STRING) {
      throw wrongType(field, "a string", kind);
    }
    return (String) values[field];
  }

  long integer(int field) {
    JsonToken kind = kind(field);
    if (kind == null || kind == JsonToken.NULL) {
      throw new InvalidFieldException(NAMES[field], "it is missing");
    }
    if (kind != JsonToken.NUMBER) {
      throw wrongType(field, "an integer", kind);
    }
    if (values[field] == null) {
      return integers[field];
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
    JsonToken kind = kind(field);
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
