package dev.p2pchat.protocol;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts messages to and from their one-line JSON form. Encoding never emits a raw line break;
 * decoding accepts strict JSON (RFC 8259) only, ignores fields it does not know, and reports every
 * problem as a {@link DecodeException}.
 */
public final class MessageCodec {
  private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);
  /** Fields some message type reads; others are skipped without building a tree. */
  /** How gson words a syntax error: "Unterminated string at line 1 column 9 path $.text". */
  private static final Pattern GSON_MESSAGE =
      Pattern.compile("(.+?) at line \\d+ column (\\d+)(?: path .*)?");
  private static final Set<String> KNOWN_FIELDS = Set.of("type", "protocolVersion", "nodeId",
      "nick", "appVersion", "address", "id", "from", "text", "timestamp", "to", "token",
      "addresses", "reason", "code");

  private MessageCodec() {}

  /** The message as one line of JSON, without the trailing newline. */
  public static String encode(Message message) {
    StringWriter out = new StringWriter(128);
    try (JsonWriter json = new JsonWriter(out)) {
      json.setHtmlSafe(false);
      json.beginObject().name("type").value(message.type());
      writeFields(message, json);
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void writeFields(Message message, JsonWriter json) throws IOException {
    if (message instanceof Hello) {
      Hello hello = (Hello) message;
      json.name("protocolVersion").value(hello.protocolVersion());
      json.name("nodeId").value(hello.nodeId());
      json.name("nick").value(hello.nick());
      json.name("appVersion").value(hello.appVersion());
      optional(json, "address", hello.address());
    } else if (message instanceof ChatMessage) {
      ChatMessage chat = (ChatMessage) message;
      json.name("id").value(chat.id());
      json.name("from").value(chat.from());
      json.name("text").value(chat.text());
      json.name("timestamp").value(chat.timestamp());
      optional(json, "to", chat.to());
    } else if (message instanceof Ack) {
      json.name("id").value(((Ack) message).id());
    } else if (message instanceof Ping) {
      Ping ping = (Ping) message;
      json.name("token").value(ping.token()).name("timestamp").value(ping.timestamp());
    } else if (message instanceof Pong) {
      Pong pong = (Pong) message;
      json.name("token").value(pong.token()).name("timestamp").value(pong.timestamp());
    } else if (message instanceof Peers) {
      json.name("addresses").beginArray();
      for (String address : ((Peers) message).addresses()) {
        json.value(address);
      }
      json.endArray();
    } else if (message instanceof Bye) {
      json.name("reason").value(((Bye) message).reason());
    } else {
      ErrorMessage error = (ErrorMessage) message;
      json.name("code").value(error.code().wireName()).name("reason").value(error.reason());
    }
  }

  private static void optional(JsonWriter json, String name, String value) throws IOException {
    if (value != null) {
      json.name(name).value(value);
    }
  }

  /**
   * Decodes one frame (a line without its terminator).
   *
   * @throws DecodeException if the line is not a valid message; its {@link DecodeException#code()}
   *     says why and {@link DecodeException#field()} names the offending field, if any
   */
  public static Message decode(String line) throws DecodeException {
    Fields fields = Fields.parse(line);
    try {
      String type = Check.present("type", fields.string("type"));
      switch (type) {
        case Hello.TYPE:
          return new Hello(fields.string("protocolVersion"), fields.string("nodeId"),
              fields.string("nick"), fields.string("appVersion"), fields.string("address"));
        case ChatMessage.TYPE:
          return new ChatMessage(fields.string("id"), fields.string("from"),
              fields.string("text"), fields.integer("timestamp"), fields.string("to"));
        case Ack.TYPE:
          return new Ack(fields.string("id"));
        case Ping.TYPE:
          return new Ping(fields.string("token"), fields.integer("timestamp"));
        case Pong.TYPE:
          return new Pong(fields.string("token"), fields.integer("timestamp"));
        case Peers.TYPE:
          return new Peers(fields.strings("addresses"));
        case Bye.TYPE:
          return new Bye(fields.string("reason"));
        case ErrorMessage.TYPE:
          String code = fields.string("code");
          return new ErrorMessage(code == null ? null : ErrorCode.fromWireName(code),
              fields.string("reason"));
        default:
          throw new DecodeException(ErrorCode.UNKNOWN_TYPE, "type",
              "unknown message type " + Check.quote(type));
      }
    } catch (InvalidFieldException e) {
      throw new DecodeException(ErrorCode.INVALID_FIELD, e.field(), e.getMessage());
    }
  }

  /** The top-level fields of one JSON object, with their JSON types checked on access. */
  private static final class Fields {
    private final Map<String, JsonElement> values = new HashMap<>();

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
          String name = json.nextName();
          if (!KNOWN_FIELDS.contains(name)) {
            json.skipValue();
          } else if (fields.values.put(name, ELEMENT.read(json)) != null) {
            throw new DecodeException(ErrorCode.INVALID_FIELD, name,
                "invalid " + Check.quote(name) + " field: it appears more than once");
          }
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

    /** The string value, or null if absent or JSON null. */
    String string(String name) {
      JsonElement value = values.get(name);
      if (value == null || value.isJsonNull()) {
        return null;
      }
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
        throw wrongType(name, "a string", value);
      }
      return value.getAsString();
    }

    long integer(String name) {
      JsonElement value = Check.present(name, values.get(name));
      if (value.isJsonNull()) {
        throw new InvalidFieldException(name, "it is missing");
      }
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
        throw wrongType(name, "an integer", value);
      }
      try {
        return new BigDecimal(value.getAsString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new InvalidFieldException(name, "it must be a whole number within 64 bits, got "
            + Check.printable(value.getAsString(), 40));
      }
    }

    /** The array of strings, or null if absent or JSON null. */
    List<String> strings(String name) {
      JsonElement value = values.get(name);
      if (value == null || value.isJsonNull()) {
        return null;
      }
      if (!value.isJsonArray()) {
        throw wrongType(name, "an array of strings", value);
      }
      List<String> strings = new ArrayList<>(value.getAsJsonArray().size());
      for (JsonElement element : value.getAsJsonArray()) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
          throw wrongType(name, "an array of strings", element);
        }
        strings.add(element.getAsString());
      }
      return strings;
    }

    private static InvalidFieldException wrongType(String name, String expected,
        JsonElement actual) {
      return new InvalidFieldException(name, "it must be " + expected + ", got "
          + describe(actual));
    }

    private static String describe(JsonElement value) {
      if (value.isJsonObject()) {
        return "an object";
      } else if (value.isJsonArray()) {
        return "an array";
      } else if (value.isJsonNull()) {
        return "null";
      } else if (value.getAsJsonPrimitive().isBoolean()) {
        return "a boolean";
      } else if (value.getAsJsonPrimitive().isNumber()) {
        return "a number";
      }
      return "a string";
    }

    private static String describe(JsonToken token) {
      switch (token) {
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
