package dev.p2pchat.chat.node;

/**
 * The bytes waiting to be sent to all peers together, bounded: beside each peer's own bound, so
 * that many peers that stop reading cannot hold the heap between them. Thread-safe.
 */
final class QueueBudget {
  private final long max;
  private long used;

  QueueBudget(long max) {
    this.max = max;
  }

  /** Takes {@code bytes} from the budget; false (and nothing taken) if they do not fit. */
  synchronized boolean take(long bytes) {
    if (used + bytes > max) return false;
    used += bytes;
    return true;
  }

  /** Gives back {@code bytes} taken before. */
  synchronized void giveBack(long bytes) {
    used -= bytes;
  }

  synchronized long used() {
    return used;
  }

  long max() {
    return max;
  }
}
