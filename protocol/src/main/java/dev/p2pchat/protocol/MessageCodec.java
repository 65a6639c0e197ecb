package dev.p2pchat.protocol;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts messages to and from their one-line JSON form with gson's streaming reader and writer.
 * Encoding never emits a raw line break; decoding accepts strict JSON (RFC 8259) only, ignores
 * fields it does not know, and reports every problem as a {@link DecodeException}.
 */
public final class MessageCodec {
  /** The fields some message type reads; all others are skipped unread. */
  private static final Set<String> KNOWN = Set.of("type", "protocolVersion", "nick",
      "appVersion", "address", "id", "from", "text", "timestamp", "to", "token", "addresses",
      "reason", "code");

  private MessageCodec() {}

  /** The message as one line of JSON, without the trailing newline. */
  public static String encode(Message message) {
    StringWriter line = new StringWriter(128);
    try (JsonWriter json = new JsonWriter(line)) {
      json.setHtmlSafe(false);
      json.beginObject();
      json.name("type").value(message.type());
      write(message, json);
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return line.toString();
  }

  /** The message's frame: its line of JSON and a {@code '\n'}, in UTF-8. */
  public static byte[] frame(Message message) {
    return (encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the fields after {@code type}; null optional fields are left out. */
  private static void write(Message message, JsonWriter json) throws IOException {
    if (message instanceof Hello hello) {
      json.name("protocolVersion").value(hello.protocolVersion());
      json.name("nick").value(hello.nick());
      json.name("appVersion").value(hello.appVersion());
      optional(json, "address", hello.address());
    } else if (message instanceof ChatMessage chat) {
      json.name("id").value(chat.id());
      json.name("from").value(chat.from());
      json.name("text").value(chat.text());
      json.name("timestamp").value(chat.timestamp());
      optional(json, "to", chat.to());
    } else if (message instanceof Ack ack) {
      json.name("id").value(ack.id());
    } else if (message instanceof Ping ping) {
      json.name("token").value(ping.token());
      json.name("timestamp").value(ping.timestamp());
    } else if (message instanceof Pong pong) {
      json.name("token").value(pong.token());
      json.name("timestamp").value(pong.timestamp());
    } else if (message instanceof Peers peers) {
      json.name("addresses").beginArray();
      for (String address : peers.addresses()) {
        json.value(address);
      }
      json.endArray();
    } else if (message instanceof Bye bye) {
      json.name("reason").value(bye.reason());
    } else {
      ErrorMessage error = (ErrorMessage) message;
      json.name("code").value(error.code().wireName());
      json.name("reason").value(error.reason());
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
    Fields fields = Fields.read(line);
    try {
      String type = Check.present("type", fields.string("type"));
      switch (type) {
        case Hello.TYPE:
          return new Hello(fields.string("protocolVersion"), fields.string("nick"),
              fields.string("appVersion"), fields.string("address"));
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

  /** One JSON value as read: its kind, and its text (a number's literal) or its elements. */
  private record Value(JsonToken kind, Object value) {}

  /** The known top-level fields of one JSON object, their JSON types checked on access. */
  private static final class Fields {
    private final Map<String, Value> values = new HashMap<>();

    static Fields read(String line) throws DecodeException {
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
          if (!KNOWN.contains(name)) {
            json.skipValue();
          } else if (fields.values.put(name, value(json)) != null) {
            throw new DecodeException(ErrorCode.INVALID_FIELD, name,
                "invalid " + Check.quote(name) + " field: it appears more than once");
          }
        }
        json.endObject();
      } catch (IOException | RuntimeException e) {
        // gson reports bad syntax as MalformedJsonException, IllegalStateException or
        // JsonParseException; all mean the same here.
        throw new DecodeException(ErrorCode.BAD_MESSAGE, "the frame is not valid JSON");
      }
      try {
        if (json.peek() == JsonToken.END_DOCUMENT) {
          return fields;
        }
      } catch (IOException | RuntimeException e) {
        // not JSON after the object: reported below like any other data there
      }
      throw new DecodeException(ErrorCode.BAD_MESSAGE, "the frame has data after its JSON object");
    }

    private static Value value(JsonReader json) throws IOException {
      JsonToken kind = json.peek();
      switch (kind) {
        case STRING:
        case NUMBER:
          return new Value(kind, json.nextString()); // a number as its literal
        case BEGIN_ARRAY:
          List<Value> elements = new ArrayList<>();
          json.beginArray();
          while (json.hasNext()) {
            JsonToken element = json.peek();
            if (element == JsonToken.STRING) {
              elements.add(new Value(element, json.nextString()));
            } else {
              json.skipValue();
              elements.add(new Value(element, null));
            }
          }
          json.endArray();
          return new Value(kind, elements);
        default:
          json.skipValue();
          return new Value(kind, null);
      }
    }

    /** The string value, or null if absent or JSON null. */
    String string(String name) {
      Value v = values.get(name);
      if (v == null || v.kind() == JsonToken.NULL) {
        return null;
      }
      if (v.kind() != JsonToken.STRING) {
        throw wrongType(name, "a string", v.kind());
      }
      return (String) v.value();
    }

    long integer(String name) {
      Value v = values.get(name);
      if (v == null || v.kind() == JsonToken.NULL) {
        throw new InvalidFieldException(name, "it is missing");
      }
      if (v.kind() != JsonToken.NUMBER) {
        throw wrongType(name, "an integer", v.kind());
      }
      try {
        return new BigDecimal((String) v.value()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new InvalidFieldException(name, "it must be a whole number within 64 bits, got "
            + Check.printable((String) v.value(), 40));
      }
    }

    /** The array of strings, or null if absent or JSON null. */
    List<String> strings(String name) {
      Value v = values.get(name);
      if (v == null || v.kind() == JsonToken.NULL) {
        return null;
      }
      if (v.kind() != JsonToken.BEGIN_ARRAY) {
        throw wrongType(name, "an array of strings", v.kind());
      }
      List<String> strings = new ArrayList<>();
      for (Object element : (List<?>) v.value()) {
        Value e = (Value) element;
        if (e.kind() != JsonToken.STRING) {
          throw wrongType(name, "an array of strings", e.kind());
        }
        strings.add((String) e.value());
      }
      return strings;
    }

    private static InvalidFieldException wrongType(String name, String expected, JsonToken kind) {
      return new InvalidFieldException(name, "it must be " + expected + ", got " + describe(kind));
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
  }
}
