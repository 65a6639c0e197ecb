package dev.p2pchat.chat.node;

import dev.p2pchat.chat.trust.Fingerprint;
import java.time.Duration;
import java.util.Optional;

/**
 * A connected peer as {@code /peers} shows it.
 *
 * @param address where the peer says it can be reached, else where it was reached
 * @param dialedByUs whether this node opened the connection
 * @param rtt the last ping round trip, null until the first pong
 */
public record PeerInfo(Fingerprint fingerprint, String nick, String address, boolean dialedByUs, Duration rtt) {
  public Optional<Duration> roundTrip() {
    return Optional.ofNullable(rtt);
  }
}
