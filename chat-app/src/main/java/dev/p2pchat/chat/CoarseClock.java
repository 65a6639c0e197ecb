package dev.p2pchat.chat;

/**
 * The wall clock in milliseconds, read again only once a millisecond has passed on the monotonic
 * clock the caller has read anyway: a line's timestamp needs no finer grain, and a reading costs
 * about 25 ns on the VMs measured, a tenth of the sender's whole work for a line at full speed.
 * Thread-safe.
 */
final class CoarseClock {
  private static final long STALE_NANOS = 1_000_000;

  private record Reading(long millis, long nanos) {}

  private volatile Reading last = new Reading(System.currentTimeMillis(), System.nanoTime());

  /** The wall clock now, {@code nowNanos} being {@link System#nanoTime()} now; at most 1 ms old. */
  long millis(long nowNanos) {
    Reading reading = last;
    if (nowNanos - reading.nanos() < STALE_NANOS) return reading.millis();
    reading = new Reading(System.currentTimeMillis(), nowNanos);
    last = reading;
    return reading.millis();
  }
}
