package dev.p2pchat.protocol;

import java.util.List;

/**
 * Confirms that the {@link ChatMessage}s with these ids were received and shown. A peer speaking
 * protocol {@value ProtocolVersion#ACK_BATCHES} or later may confirm up to {@value
 * Limits#MAX_ACK_IDS} at once (the wire field {@code ids}); an ack of one id is written as {@code
 * id}, which every 1.x peer reads.
 */
public record Ack(List<String> ids) implements Message {
  public static final String TYPE = "ack";

  public Ack {
    ids = Check.ids("ids", ids);
  }

  /** Confirms the one message {@code id}. */
  public Ack(String id) {
    this(List.of(Check.id("id", id)));
  }

  @Override
  public String type() {
    return TYPE;
  }
}
