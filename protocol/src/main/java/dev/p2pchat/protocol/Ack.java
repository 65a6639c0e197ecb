package dev.p2pchat.protocol;

import java.util.List;

/**
 * Confirms that the {@link ChatMessage}s with these ids were received and shown. A peer speaking
 * protocol {@value ProtocolVersion#ACK_BATCHES} or later may confirm several at once (the wire
 * field {@code ids}), and from {@value ProtocolVersion#ACK_RUNS} on whole runs of consecutive
 * {@linkplain LineNumbers line numbers} (the wire field {@code runs}); {@code ids} and {@code
 * runs} together name 1 to {@value Limits#MAX_ACK_IDS} entries. An ack of one id and no run is
 * written as {@code id}, which every 1.x peer reads.
 *
 * @param ids the ids confirmed one by one; may be empty if there are runs
 * @param runs the runs of line numbers confirmed; empty before protocol 1.2
 */
public record Ack(List<String> ids, List<Run> runs) implements Message {
  public static final String TYPE = "ack";

  /**
   * The lines numbered {@code first} to {@code last}, both included: on the wire {@code
   * "FIRST-LAST"}, each a {@linkplain LineNumbers#id line number id}, {@code first < last}.
   */
  public record Run(long first, long last) {
    public Run {
      if (!LineNumbers.isLineNumber(first) || !LineNumbers.isLineNumber(last) || last <= first) {
        throw new InvalidFieldException("runs", "a run must go from a line number up to a higher"
            + " one, 1 to 2^60 - 1, not from " + first + " to " + last);
      }
    }

    /** How it is written on the wire: {@code "FIRST-LAST"}. */
    @Override
    public String toString() {
      return LineNumbers.id(first) + "-" + LineNumbers.id(last);
    }
  }

  public Ack {
    ids = Check.ackIds("ids", ids, runs == null || runs.isEmpty());
    runs = Check.runs("runs", runs, Limits.MAX_ACK_IDS - ids.size());
  }

  /** Confirms the messages {@code ids}, one by one. */
  public Ack(List<String> ids) {
    this(ids, List.of());
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
