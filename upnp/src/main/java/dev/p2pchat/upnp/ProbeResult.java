package dev.p2pchat.upnp;

import java.time.Duration;

/**
 * How one protocol answered when {@link PortMapper} asked whether the router speaks it.
 *
 * @param protocol the protocol asked
 * @param answered whether the router answered it usably
 * @param took how long until the answer, or until it was given up
 * @param detail for people: what answered (a router's name, its external address) or why not
 */
public record ProbeResult(MappingProtocol protocol, boolean answered, Duration took, String detail) {
  /** E.g. {@code PCP: answered in 1 ms (epoch 35 s)}. */
  @Override
  public String toString() {
    return protocol + ": " + (answered ? "answered in " : "no answer after ") + millis(took)
        + " (" + detail + ")";
  }

  static String millis(Duration d) {
    long micros = d.toNanos() / 1000;
    return micros < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0)
        : d.toMillis() + " ms";
  }
}
