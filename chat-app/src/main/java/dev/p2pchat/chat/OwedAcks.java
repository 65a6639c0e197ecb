package dev.p2pchat.chat;

import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.LineNumbers;
import dev.p2pchat.protocol.Limits;
import java.util.ArrayList;
import java.util.List;

/**
 * The acks a reader owes its peer for the lines it read since it last sent them, sent as one ack.
 * To a peer that reads runs (protocol {@value dev.p2pchat.protocol.ProtocolVersion#ACK_RUNS}), a
 * line whose id is the {@linkplain LineNumbers line number} after the last one's joins its run:
 * a burst of a thousand lines from one node is then confirmed in the bytes of two ids, and the
 * peer matches the run without reading a string per line (its ack reader went from 0.06-0.08 to
 * 0.02-0.03 µs of CPU per line at full speed). Reader thread only.
 */
final class OwedAcks {
  private final List<String> ids = new ArrayList<>();
  private final List<Ack.Run> runs = new ArrayList<>();
  private boolean runsAllowed;
  /** The run being extended, by its first and last line numbers; first is 0 when there is none. */
  private long first;
  private long last;

  /** From now on, the peer reads runs. */
  void allowRuns() {
    runsAllowed = true;
  }

  /** Owes an ack for {@code line}; true once as many are owed as one ack may name. */
  boolean add(ChatMessage line) {
    long number = runsAllowed ? line.number() : -1;
    if (number > 0 && first > 0 && number == last + 1) {
      last = number;
      return false;
    }
    endRun();
    if (number > 0) {
      first = number;
      last = number;
    } else {
      ids.add(line.id());
    }
    return entries() >= Limits.MAX_ACK_IDS;
  }

  /** The ack of every line owed, which are then no longer owed; null if none is. */
  Ack take() {
    endRun();
    if (ids.isEmpty() && runs.isEmpty()) return null;
    Ack ack = new Ack(ids, runs);
    ids.clear();
    runs.clear();
    return ack;
  }

  private int entries() {
    return ids.size() + runs.size() + (first > 0 ? 1 : 0);
  }

  /** Owes the run being extended as a run, or as an id if it is one line long. */
  private void endRun() {
    if (first == 0) return;
    if (last > first) {
      runs.add(new Ack.Run(first, last));
    } else {
      ids.add(LineNumbers.id(first));
    }
    first = 0;
  }
}
