package dev.p2pchat.chat.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The handshaken connections, by the peer's fingerprint (its text form). Usually one per peer;
 * when two nodes dialled each other at once there are two for a while, and {@link #active()}
 * picks the same one on both nodes: the one dialled by the node with the smaller fingerprint
 * (then the newest). Only the node that dialled a redundant connection closes it, so the two
 * never close both; and when the one kept ends for a reason of its own, the peer has left even
 * while a duplicate is still closing. Thread-safe.
 */
final class PeerRegistry {
  /**
   * What adding a connection did.
   *
   * @param joined whether this is a peer we were not connected to (a new {@code joined} event)
   * @param full whether it was refused because the registry holds the most peers allowed
   * @param redundant connections we dialled that are now duplicates, to be closed
   */
  record Added(boolean joined, boolean full, List<PeerSession> redundant) {}

  /** What removing a connection meant for its peer. */
  enum Removed {
    /** Another connection to the peer remains. */
    OTHERS_REMAIN,
    /** It was the last one: the peer left. */
    LEFT,
    /**
     * It was the last one here, but the peer closed it as a duplicate, so the connection it keeps
     * is still in its handshake here: the peer is switching, see {@link #endSwitch}.
     */
    SWITCHING,
    /** It was never added. */
    NOT_REGISTERED
  }

  private final String ourId;
  private final int maxPeers;
  private final Map<String, List<PeerSession>> byNode = new LinkedHashMap<>();
  /** Peers switching connections, with the connection they left, which stands for them meanwhile. */
  private final Map<String, PeerSession> switching = new HashMap<>();
  /** What {@link #active()} returns, made again on every change: every line sent reads it. */
  private volatile List<PeerSession> active = List.of();

  PeerRegistry(String ourId, int maxPeers) {
    this.ourId = ourId;
    this.maxPeers = maxPeers;
  }

  synchronized Added add(PeerSession c) {
    String peerId = c.nodeId();
    boolean joined = false;
    List<PeerSession> list = byNode.get(peerId);
    if (list == null) {
      if (byNode.size() >= maxPeers) return new Added(false, true, List.of());
      list = new ArrayList<>(2);
      byNode.put(peerId, list);
      joined = switching.remove(peerId) == null;
    }
    list.add(c);
    PeerSession keep = preferred(peerId, list);
    List<PeerSession> redundant = list.stream()
        .filter(other -> other != keep && other.outbound()).collect(Collectors.toList());
    refreshActive();
    return new Added(joined, false, redundant);
  }

  synchronized Removed remove(PeerSession c) {
    if (!c.handshaken()) return Removed.NOT_REGISTERED;
    String peerId = c.nodeId();
    List<PeerSession> list = byNode.get(peerId);
    if (list == null || !list.contains(c)) return Removed.NOT_REGISTERED;
    boolean wasActive = preferred(peerId, list) == c;
    list.remove(c);
    Removed removed = afterRemoving(c, peerId, list, wasActive);
    refreshActive();
    return removed;
  }

  private Removed afterRemoving(PeerSession c, String peerId, List<PeerSession> list, boolean wasActive) {
    // The others are duplicates that their dialler is closing: if the one both nodes keep ends for
    // a reason of its own (the peer quit, the network went), the peer has left, with that reason.
    if (!list.isEmpty() && !(wasActive && !c.superseded())) return Removed.OTHERS_REMAIN;
    byNode.remove(peerId);
    if (!c.superseded()) return Removed.LEFT;
    switching.put(peerId, c);
    return Removed.SWITCHING;
  }

  /** Ends the switch that {@code left} began; true if the peer did not come back meanwhile. */
  synchronized boolean endSwitch(PeerSession left) {
    boolean ended = switching.remove(left.nodeId(), left);
    refreshActive();
    return ended;
  }

  /** The connection to use for the peer {@code peerId}, or null if none is handshaken. */
  synchronized PeerSession active(String peerId) {
    List<PeerSession> list = byNode.get(peerId);
    return list == null ? null : preferred(peerId, list);
  }

  /**
   * The connection to use for each peer. A peer switching connections is still there, with the
   * connection it left: a line sent on it fails and goes out again once the other one is in.
   */
  List<PeerSession> active() {
    return active;
  }

  private void refreshActive() {
    List<PeerSession> now = new ArrayList<>(byNode.size() + switching.size());
    byNode.forEach((peerId, list) -> now.add(preferred(peerId, list)));
    now.addAll(switching.values());
    active = List.copyOf(now);
  }

  private PeerSession preferred(String peerId, List<PeerSession> candidates) {
    String preferredDialer = ourId.compareTo(peerId) < 0 ? ourId : peerId;
    PeerSession best = null;
    for (PeerSession c : candidates) {
      if (best == null) {
        best = c;
        continue;
      }
      boolean cPreferred = (c.outbound() ? ourId : peerId).equals(preferredDialer);
      boolean bestPreferred = (best.outbound() ? ourId : peerId).equals(preferredDialer);
      if (cPreferred != bestPreferred ? cPreferred : c.handshakeNanos() > best.handshakeNanos()) best = c;
    }
    return best;
  }
}
