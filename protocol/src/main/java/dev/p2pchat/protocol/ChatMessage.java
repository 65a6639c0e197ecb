package dev.p2pchat.protocol;

import java.util.Objects;

/**
 * A chat line, wire type {@code "msg"}. The receiver answers with an {@link Ack} once shown.
 *
 * <p>A class rather than a record, as the other messages are, for what a record cannot hide: whether
 * its text is plain (see {@link #plainText()}), which its check finds out anyway, and an id that
 * is a {@linkplain LineNumbers line number} kept as a number. The encoder then copies a plain
 * text as it is and writes a numbered id from its number, and the decoder, having read a text
 * that is plain or an id that is a number, neither looks at it again nor makes a string of the
 * id: on the frame nodes send most, each of those passes cost about a tenth of a line's time at
 * full speed. Equality, hash code and string form are a record's.
 */
public final class ChatMessage implements Message {
  public static final String TYPE = "msg";

  /** The id as a string; null until asked for, for a line made from its number. */
  private String id;
  /** The line number the id is, or -1 if it is not one ({@link LineNumbers}). */
  private final long number;
  private final String from;
  private final String text;
  private final long timestamp;
  private final String to;
  private final boolean plainText;

  /**
   * @param id unique message id: 1-64 printable ASCII characters without spaces
   * @param from the sender's nickname
   * @param text 1 to {@value Limits#MAX_TEXT_LENGTH} characters; may contain newlines and tabs but
   *     no other control characters
   * @param timestamp when it was sent, epoch milliseconds
   * @param to the recipient's nickname for a direct message, or null for everyone
   */
  public ChatMessage(String id, String from, String text, long timestamp, String to) {
    this(id, -1, from, text, timestamp, to, false);
  }

  /**
   * A line whose id is the {@linkplain LineNumbers line number} {@code number}, as a node that
   * counts its lines sends them: its id is written from the number, and made into a string only if
   * {@link #id()} is called. Otherwise as the constructor.
   */
  public static ChatMessage numbered(long number, String from, String text, long timestamp, String to) {
    return new ChatMessage(null, Check.lineNumber("id", number), from, text, timestamp, to, false);
  }

  /**
   * @param id the id; may be null if {@code number} is a line number
   * @param number the line number the id is, as the caller found it already (a caller that gives
   *     both makes sure they agree), or -1 for the constructor to find out from {@code id}
   * @param knownPlain whether the caller found {@code text} plain already, as the decoder does
   *     while it reads it: then only its length is checked
   */
  ChatMessage(String id, long number, String from, String text, long timestamp, String to, boolean knownPlain) {
    this.number = number > 0 || id == null ? number : LineNumbers.number(id);
    this.id = this.number > 0 ? id : Check.id("id", id); // a line number is a valid id
    this.from = Check.nick("from", from);
    if (knownPlain) {
      Check.plainTextLength("text", text, Limits.MAX_TEXT_LENGTH);
      this.plainText = true;
    } else {
      this.plainText = Check.chatText("text", text, Limits.MAX_TEXT_LENGTH);
    }
    this.text = text;
    this.timestamp = Check.timestamp("timestamp", timestamp);
    this.to = to == null ? null : Check.nick("to", to);
  }

  public String id() {
    String made = id;
    if (made == null) {
      // Racy but harmless, as String's own hash: any thread that makes it makes the same string.
      made = LineNumbers.id(number);
      id = made;
    }
    return made;
  }

  /** The line number the id is, or -1 if it is not one (see {@link LineNumbers}). */
  public long number() {
    return number;
  }

  public String from() {
    return from;
  }

  public String text() {
    return text;
  }

  public long timestamp() {
    return timestamp;
  }

  public String to() {
    return to;
  }

  /**
   * Whether the text is plain: printable ASCII without {@code "} or {@code \}, so one line that
   * JSON holds as it is and a terminal shows as it is.
   */
  public boolean plainText() {
    return plainText;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatMessage other && id().equals(other.id()) && from.equals(other.from)
        && text.equals(other.text) && timestamp == other.timestamp && Objects.equals(to, other.to);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id(), from, text, timestamp, to);
  }

  @Override
  public String toString() {
    return "ChatMessage[id=" + id() + ", from=" + from + ", text=" + text + ", timestamp=" + timestamp
        + ", to=" + to + "]";
  }
}
