package dev.p2pchat.protocol;

/**
 * A chat line, wire type {@code "msg"}. The receiver answers with an {@link Ack} of its id once
 * it has shown it.
 *
 * @param id unique message id: 1-64 printable ASCII characters without spaces
 * @param from the sender's nickname
 * @param text 1 to {@value Limits#MAX_TEXT_LENGTH} characters; may contain newlines and tabs but
 *     no other control characters
 * @param timestamp when it was sent, epoch milliseconds
 * @param to the recipient's nickname for a direct message, or null for everyone
 */
public record ChatMessage(String id, String from, String text, long timestamp, String to)
    implements Message {
  public static final String TYPE = "msg";

  public ChatMessage {
    Check.id("id", id);
    Check.nick("from", from);
    Check.nonEmptyText("text", text, Limits.MAX_TEXT_LENGTH, true);
    Check.timestamp("timestamp", timestamp);
    if (to != null) {
      Check.nick("to", to);
    }
  }

  @Override
  public String type() {
    return TYPE;
  }
}
