package dev.p2pchat.protocol;

/**
 * Keepalive and round-trip probe; the peer answers with {@link #reply()}.
 *
 * @param token opaque id of this probe: 1-64 printable ASCII characters without spaces
 * @param timestamp the sender's clock when sent, epoch milliseconds
 */
public record Ping(String token, long timestamp) implements Message {
  public static final String TYPE = "ping";

  public Ping {
    Check.id("token", token);
    Check.timestamp("timestamp", timestamp);
  }

  /** The {@link Pong} that answers this ping, echoing its token and timestamp. */
  public Pong reply() {
    return new Pong(token, timestamp);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
