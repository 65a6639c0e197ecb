package dev.p2pchat.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Converts messages to and from their one-line JSON form. Encoding never emits a raw line break;
 * decoding accepts strict JSON (RFC 8259) only, ignores fields it does not know, and reports every
 * problem as a {@link DecodeException}.
 */
public final class MessageCodec {
  /** The constant runs of a msg frame, up to each value, as encoded and as decoded in place. */
  static final Literal CHAT_ID = new Literal("{\"type\":\"msg\",\"id\":\"");
  static final Literal CHAT_FROM = new Literal("\",\"from\":\"");
  static final Literal CHAT_TEXT = new Literal("\",\"text\":\"");
  static final Literal CHAT_TIMESTAMP = new Literal("\",\"timestamp\":");

  private MessageCodec() {}

  /** The message as one line of JSON, without the trailing newline. */
  public static String encode(Message message) {
    JsonBuffer out = new JsonBuffer(128);
    encode(message, out);
    return out.toString();
  }

  /** Appends the message's line of JSON, without the trailing newline, to {@code out}. */
  static void encode(Message message, JsonBuffer out) {
    if (message instanceof ChatMessage) {
      chat((ChatMessage) message, out);
      return;
    }
    // Type names are constants of letters: nothing to escape.
    out.ascii("{\"type\":\"").ascii(message.type()).ascii('"');
    if (message instanceof Hello) {
      Hello hello = (Hello) message;
      out.ascii(",\"protocolVersion\":").string(hello.protocolVersion());
      out.ascii(",\"nodeId\":").string(hello.nodeId());
      out.ascii(",\"nick\":").string(hello.nick());
      out.ascii(",\"appVersion\":").string(hello.appVersion());
      optional(out, ",\"address\":", hello.address());
    } else if (message instanceof Ack) {
      ack((Ack) message, out);
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
      array(out, ((Peers) message).addresses(), false);
    } else if (message instanceof Bye) {
      out.ascii(",\"reason\":").string(((Bye) message).reason());
    } else {
      ErrorMessage error = (ErrorMessage) message;
      out.ascii(",\"code\":").string(error.code().wireName());
      out.ascii(",\"reason\":").string(error.reason());
    }
    out.ascii('}');
  }

  /**
   * Writes the frame nodes send most, its constant runs as whole longs: the very layout that
   * {@link PlainDecoder} matches in place.
   */
  private static void chat(ChatMessage chat, JsonBuffer out) {
    if (chat.number() > 0) {
      out.literal(CHAT_ID).lineNumber(chat.number());
    } else {
      out.literal(CHAT_ID).printableAsciiBody(chat.id());
    }
    out.literal(CHAT_FROM).sameStringBody(chat.from());
    if (chat.plainText()) {
      out.literal(CHAT_TEXT).ascii(chat.text());
    } else {
      out.literal(CHAT_TEXT).stringBody(chat.text());
    }
    out.literal(CHAT_TIMESTAMP).sameNumber(chat.timestamp());
    optional(out, ",\"to\":", chat.to());
    out.ascii('}');
  }

  /** An ack of one id and no run as {@code id}, which 1.0 peers read; else {@code ids} and {@code runs}. */
  private static void ack(Ack ack, JsonBuffer out) {
    List<String> ids = ack.ids();
    if (ids.size() == 1 && ack.runs().isEmpty()) {
      out.ascii(",\"id\":").printableAscii(ids.get(0));
      return;
    }
    if (!ids.isEmpty()) {
      out.ascii(",\"ids\":");
      array(out, ids, true);
    }
    if (!ack.runs().isEmpty()) {
      out.ascii(",\"runs\":");
      array(out, ack.runs().stream().map(Ack.Run::toString).collect(Collectors.toList()), true);
    }
  }

  /** Writes an array of strings; {@code ids} (printable ASCII, as checked) take a shorter way. */
  private static void array(JsonBuffer out, List<String> values, boolean ids) {
    out.ascii('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.ascii(',');
      }
      if (ids) {
        out.printableAscii(values.get(i));
      } else {
        out.string(values.get(i));
      }
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

  /** The message the fields make, whichever path read them. */
  static Message toMessage(Fields fields) throws DecodeException {
    try {
      String type = Check.present("type", fields.string(Fields.TYPE));
      switch (type) {
        case Hello.TYPE:
          return new Hello(fields.string(Fields.PROTOCOL_VERSION), fields.string(Fields.NODE_ID),
              fields.string(Fields.NICK), fields.string(Fields.APP_VERSION),
              fields.string(Fields.ADDRESS));
        case ChatMessage.TYPE:
          return chat(fields.string(Fields.ID), fields.string(Fields.FROM),
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
      throw invalid(e);
    }
  }

  /** A msg as a decoder read it: a field that breaks a rule is a DecodeException. */
  static ChatMessage chat(String id, String from, String text, long timestamp, String to)
      throws DecodeException {
    return chat(id, -1, from, text, timestamp, to, false);
  }

  /**
   * {@link #chat(String, String, String, long, String)} with the id's line {@code number} if the
   * decoder found it already ({@code id} may then be null), else -1, and {@code text} known plain
   * if {@code plainText}.
   */
  static ChatMessage chat(String id, long number, String from, String text, long timestamp, String to,
      boolean plainText) throws DecodeException {
    try {
      return new ChatMessage(id, number, from, text, timestamp, to, plainText);
    } catch (InvalidFieldException e) {
      throw invalid(e);
    }
  }

  private static DecodeException invalid(InvalidFieldException e) {
    return new DecodeException(ErrorCode.INVALID_FIELD, e.field(), e.getMessage());
  }

  /**
   * An ack names one {@code id} or, from protocol 1.1, several {@code ids}, and from 1.2 {@code
   * runs} of line numbers, with or without {@code ids}; never {@code id} with another.
   */
  private static Ack ack(Fields fields) {
    String id = fields.string(Fields.ID);
    List<String> ids = fields.strings(Fields.IDS);
    List<String> runs = fields.strings(Fields.RUNS);
    if (id != null && ids != null) {
      throw new InvalidFieldException("ids", "an ack has id or ids, not both");
    }
    if (id != null && runs != null) {
      throw new InvalidFieldException("runs", "an ack with id has no runs");
    }
    if (ids == null && runs == null) {
      return new Ack(id);
    }
    return new Ack(ids == null ? List.of() : ids, runs == null ? List.of() : runs(runs));
  }

  private static List<Ack.Run> runs(List<String> written) {
    List<Ack.Run> runs = new ArrayList<>(written.size());
    for (int i = 0; i < written.size(); i++) {
      String run = written.get(i);
      int dash = run.indexOf('-');
      long first = dash < 0 ? -1 : LineNumbers.number(run.substring(0, dash));
      long last = dash < 0 ? -1 : LineNumbers.number(run.substring(dash + 1));
      if (first < 0 || last < 0) {
        throw new InvalidFieldException("runs", "run " + i + " must be FIRST-LAST, two line numbers"
            + " in base 32 (0-9a-v), got " + Check.quote(run));
      }
      runs.add(new Ack.Run(first, last));
    }
    return runs;
  }
}
