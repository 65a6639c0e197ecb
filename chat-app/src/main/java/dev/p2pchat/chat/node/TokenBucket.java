package dev.p2pchat.chat.node;

/** Allows {@code perSecond} events per second on average and {@code burst} at once. Not thread-safe. */
final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(int perSecond, int burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    if (nowNanos != lastNanos) { // frames read together arrived at the same time
      tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * perNano);
      lastNanos = nowNanos;
    }
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
