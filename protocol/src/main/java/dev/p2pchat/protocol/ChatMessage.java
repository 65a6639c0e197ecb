package dev.p2pchat.protocol;

import java.util.Objects;

/**
 * A chat line, wire type {@code "msg"}. The receiver answers with an {@link Ack} once shown.
 *
 * <p>A class rather than a record, as the other messages are, for one field a record cannot hide:
 * whether its text is plain (see {@link #plainText()}), which its check finds out anyway. The
 * encoder then copies such a text as it is, and the decoder, having read a text that is plain,
 * does not look at it a second time: on the frame nodes send most, each pass over the text cost
 * a tenth of a line's time at full speed. Equality, hash code and string form are a record's.
 */
public final class ChatMessage implements Message {
  public static final String TYPE = "msg";

  private final String id;
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
    this(id, from, text, timestamp, to, false);
  }

  /**
   * @param knownPlain whether the caller found {@code text} plain already, as the decoder does
   *     while it reads it: then only its length is checked
   */
  ChatMessage(String id, String from, String text, long timestamp, String to, boolean knownPlain) {
    this.id = Check.id("id", id);
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
    return id;
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

  /** Whether the text is printable ASCII without {@code "} or {@code \}: JSON holds it as it is. */
  boolean plainText() {
    return plainText;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChatMessage other && id.equals(other.id) && from.equals(other.from)
        && text.equals(other.text) && timestamp == other.timestamp && Objects.equals(to, other.to);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, from, text, timestamp, to);
  }

  @Override
  public String toString() {
    return "ChatMessage[id=" + id + ", from=" + from + ", text=" + text + ", timestamp=" + timestamp
        + ", to=" + to + "]";
  }
}
