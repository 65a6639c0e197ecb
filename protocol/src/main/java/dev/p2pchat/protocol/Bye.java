package dev.p2pchat.protocol;

/** Orderly goodbye; the sender closes the connection after it. The reason may be empty. */
public record Bye(String reason) implements Message {
  public static final String TYPE = "bye";

  public Bye {
    Check.text("reason", reason, Limits.MAX_REASON_LENGTH, false);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
