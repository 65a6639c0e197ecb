package dev.p2pchat.chat.node;

import dev.p2pchat.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lines this node sent that wait for their ack, per peer node, oldest first. Thread-safe. */
final class Unconfirmed {
  /**
   * A sent line, the nick of the peer it went to (as of when it was sent), and the connection it
   * went out on.
   */
  record Pending(String nick, ChatMessage message, long sentNanos, PeerSession via) {}

  /** Per peer node id, its lines by id in the order sent. */
  private final Map<String, LinkedHashMap<String, Pending>> byPeer = new HashMap<>();
  private int size;

  /** Adds {@code message} as sent to {@code peerNodeId} at {@code sentNanos} ({@link System#nanoTime()}). */
  synchronized void add(String peerNodeId, String nick, ChatMessage message, long sentNanos, PeerSession via) {
    Pending before = byPeer.computeIfAbsent(peerNodeId, p -> new LinkedHashMap<>())
        .put(message.id(), new Pending(nick, message, sentNanos, via));
    if (before == null) size++;
  }

  /** Removes the line {@code id} sent to {@code peerNodeId}; false if it was not waiting. */
  synchronized boolean confirm(String peerNodeId, String id) {
    Map<String, Pending> lines = byPeer.get(peerNodeId);
    if (lines == null || lines.remove(id) == null) return false;
    size--;
    if (lines.isEmpty()) byPeer.remove(peerNodeId);
    return true;
  }

  /**
   * Removes and returns the lines sent {@code timeoutNanos} or longer before {@code now}, oldest
   * first. Each peer's lines are in the order sent, so each is read only up to its first line
   * still in time.
   */
  synchronized List<Pending> takeLate(long now, long timeoutNanos) {
    List<Pending> late = new ArrayList<>();
    for (Iterator<LinkedHashMap<String, Pending>> peers = byPeer.values().iterator(); peers.hasNext(); ) {
      LinkedHashMap<String, Pending> lines = peers.next();
      for (Iterator<Pending> it = lines.values().iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (now - p.sentNanos() < timeoutNanos) break;
        late.add(p);
        it.remove();
        size--;
      }
      if (lines.isEmpty()) peers.remove();
    }
    late.sort(Comparator.comparingLong(Pending::sentNanos));
    return late;
  }

  /**
   * Moves the lines waiting for {@code peerNodeId} that went out on a connection now closing onto
   * {@code target}, and returns them for sending again.
   */
  synchronized List<Pending> moveStranded(String peerNodeId, PeerSession target) {
    Map<String, Pending> lines = byPeer.get(peerNodeId);
    if (lines == null) return List.of();
    List<Pending> moved = new ArrayList<>();
    lines.replaceAll((id, p) -> {
      if (p.via() == target || !p.via().closing()) return p;
      Pending now = new Pending(p.nick(), p.message(), p.sentNanos(), target);
      moved.add(now);
      return now;
    });
    return moved;
  }

  /** How many lines wait for their ack. */
  synchronized int size() {
    return size;
  }
}
