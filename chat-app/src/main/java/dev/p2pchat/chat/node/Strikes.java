package dev.p2pchat.chat.node;

import java.time.Duration;

/**
 * Counts a peer's bad frames within a sliding window rather than in a row, so that a peer cannot
 * send bad frames forever by slipping a valid one between them. Not thread-safe.
 */
final class Strikes {
  private final long windowNanos;
  /** The times of the latest strikes, as many as the limit; a ring. */
  private final long[] times;
  private int count;
  private int next;

  Strikes(int max, Duration window) {
    this.times = new long[max];
    this.windowNanos = window.toNanos();
  }

  /**
   * Records a strike at {@code nowNanos}; returns how many strikes fell within the window up to
   * and including this one, which reaches the limit when the peer has had too many.
   */
  int add(long nowNanos) {
    times[next] = nowNanos;
    next = (next + 1) % times.length;
    count = Math.min(count + 1, times.length);
    int recent = 0;
    for (int i = 0; i < count; i++) {
      if (nowNanos - times[i] < windowNanos) recent++;
    }
    return recent;
  }
}
