package dev.p2pchat.protocol;

/** Answer to a {@link Ping}, echoing its token and timestamp. */
public record Pong(String token, long timestamp) implements Message {
  public static final String TYPE = "pong";

  public Pong {
    Check.id("token", token);
    Check.timestamp("timestamp", timestamp);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
