package dev.p2pchat.chat.node;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Inbound connections still in their handshake, bounded per source address and in total, so that
 * connections that never say hello (each held until the handshake timeout) cannot crowd out
 * peers. Keyed by the connection's remote end. Thread-safe.
 */
final class HandshakeSlots {
  private final int perAddress;
  private final int total;
  private final Map<String, InetAddress> open = new HashMap<>();
  private final Map<InetAddress, Integer> byAddress = new HashMap<>();

  HandshakeSlots(int perAddress, int total) {
    this.perAddress = perAddress;
    this.total = total;
  }

  /**
   * Takes a slot for the connection from {@code remote} ({@code from}'s address and port); empty
   * if taken, else why it is refused.
   */
  synchronized Optional<String> enter(String remote, InetAddress from) {
    if (open.size() >= total) {
      return Optional.of("this node already has " + total + " connections in their handshake");
    }
    int fromThere = byAddress.getOrDefault(from, 0);
    if (fromThere >= perAddress) {
      return Optional.of("this node already has " + perAddress
          + " connections in their handshake from this address");
    }
    open.put(remote, from);
    byAddress.put(from, fromThere + 1);
    return Optional.empty();
  }

  /** Gives back the slot of the connection from {@code remote}, if it holds one. */
  synchronized void leave(String remote) {
    InetAddress from = open.remove(remote);
    if (from == null) return;
    byAddress.computeIfPresent(from, (a, n) -> n == 1 ? null : n - 1);
  }

  synchronized int size() {
    return open.size();
  }
}
