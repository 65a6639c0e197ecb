package dev.p2pchat.upnp.natpmp;

/**
 * Tells a router reboot from the epoch in its answers (seconds since it started keeping
 * mappings). A router that lost its state starts counting again, so its epoch falls behind the
 * time that passed on our clock; the check is RFC 6887 8.5's, which also covers RFC 6886 3.6.
 */
public final class ServerEpoch {
  private long lastEpoch = -1;
  private long lastNanos;

  /**
   * Records an answer's epoch, received at {@code nowNanos} ({@link System#nanoTime()}); true
   * when the router lost its mappings since the previous answer. The first answer is never a
   * reboot.
   */
  public synchronized boolean rebooted(long epochSeconds, long nowNanos) {
    long previous = lastEpoch;
    long clientDelta = (nowNanos - lastNanos) / 1_000_000_000L;
    lastEpoch = epochSeconds;
    lastNanos = nowNanos;
    if (previous < 0) return false;
    if (epochSeconds < previous - 1) return true;
    long serverDelta = epochSeconds - previous;
    return clientDelta + 2 < serverDelta - serverDelta / 16
        || serverDelta + 2 < clientDelta - clientDelta / 16;
  }
}
