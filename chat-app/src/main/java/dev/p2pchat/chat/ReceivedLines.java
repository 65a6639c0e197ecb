package dev.p2pchat.chat;

import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.LineNumbers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lines received lately, so that a line sent again (its connection failed before the ack came
 * back, or two connections between the same nodes were collapsing) is shown only once.
 * Thread-safe.
 *
 * <p>Each sender's lines whose ids are {@linkplain LineNumbers line numbers}, as every p2p-chat
 * node's are, are remembered as bits: one per number, for the {@value #WINDOW} numbers up to the
 * highest seen. A line is then a lock nobody else wants (only the readers of connections to that
 * one node take it) and one bit, where looking it up and storing it in a table shared by all
 * senders took about a fifth of a reader's profile samples at full speed. Lines from further back
 * than the window are taken as new, as a forgotten line always was. Other ids, from another
 * program, go to one {@link RecentLines} for all senders.
 */
final class ReceivedLines {
  /** How many numbers back from a sender's highest its lines are remembered. */
  static final int WINDOW = 4096;

  private final RecentLines others;
  private final Map<String, Sender> senders;

  /**
   * @param maxSenders how many senders are remembered; past that, the one whose connection began
   *     longest ago is forgotten
   * @param otherIds how many lines with other ids are remembered, across all senders
   */
  ReceivedLines(int maxSenders, int otherIds) {
    others = new RecentLines(otherIds);
    senders = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Sender> eldest) {
        return size() > maxSenders;
      }
    };
  }

  /** The lines from node {@code nodeId}; asked once per connection, which keeps the answer. */
  synchronized Sender from(String nodeId) {
    return senders.computeIfAbsent(nodeId, Sender::new);
  }

  /** The lines received from one node. */
  final class Sender {
    private final String nodeId;
    /** Bit {@code n % WINDOW} is set if line n, within the window, was received. */
    private final long[] seen = new long[WINDOW / Long.SIZE];
    /** The highest line number received, 0 before the first. */
    private long highest;

    private Sender(String nodeId) {
      this.nodeId = nodeId;
    }

    /** Remembers {@code line}; false if it was remembered already. */
    boolean add(ChatMessage line) {
      long number = line.number();
      return number > 0 ? add(number) : others.add(nodeId, line.id());
    }

    private synchronized boolean add(long number) {
      if (number > highest) {
        // The bits of the numbers passed over belonged to lines now out of the window.
        for (long n = Math.max(highest + 1, number - WINDOW + 1); n < number; n++) {
          seen[slot(n)] &= ~bit(n);
        }
        highest = number;
        seen[slot(number)] |= bit(number);
        return true;
      }
      if (highest - number >= WINDOW) return true;
      if ((seen[slot(number)] & bit(number)) != 0) return false;
      seen[slot(number)] |= bit(number);
      return true;
    }

    private int slot(long number) {
      return (int) (number % WINDOW) >>> 6;
    }

    private long bit(long number) {
      return 1L << number; // a shift by a long uses its low six bits: number % 64
    }
  }
}
