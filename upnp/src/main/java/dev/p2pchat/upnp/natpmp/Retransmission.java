package dev.p2pchat.upnp.natpmp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a request with no answer is sent again: the first wait is {@code initial}, each next one
 * twice the last, at most {@code max}; with {@code jitter} each wait is spread by ±10 % so that
 * many clients woken together do not stay in step. A client's timeout bounds the whole exchange.
 *
 * @param initial the wait after the first send
 * @param max the longest single wait
 * @param jitter whether waits are spread by ±10 %
 */
public record Retransmission(Duration initial, Duration max, boolean jitter) {
  /** RFC 6886 3.1: 250 ms, doubling (the RFC stops after the ninth send, 64 s). */
  public static final Retransmission NAT_PMP =
      new Retransmission(Duration.ofMillis(250), Duration.ofSeconds(64), false);
  /** RFC 6887 8.1.1: IRT 3 s, MRT 1024 s, each wait times (1 + RAND), RAND in [-0.1, 0.1]. */
  public static final Retransmission PCP =
      new Retransmission(Duration.ofSeconds(3), Duration.ofSeconds(1024), true);

  /** Checks the values. */
  public Retransmission {
    if (initial == null || initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial wait must be > 0: " + initial);
    }
    if (max == null || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max wait must be >= initial: " + max);
    }
  }

  /** How long to wait for an answer after send number {@code sent} (1 for the first). */
  long waitNanos(int sent) {
    long wait = initial.toNanos();
    for (int i = 1; i < sent && wait < max.toNanos(); i++) wait *= 2;
    wait = Math.min(wait, max.toNanos());
    if (jitter) wait = (long) (wait * ThreadLocalRandom.current().nextDouble(0.9, 1.1));
    return wait;
  }
}
