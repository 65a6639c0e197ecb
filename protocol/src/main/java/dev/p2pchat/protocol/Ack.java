package dev.p2pchat.protocol;

/** Confirms that the {@link ChatMessage} with this id was received and shown; one per line. */
public record Ack(String id) implements Message {
  public static final String TYPE = "ack";

  public Ack {
    Check.id("id", id);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
