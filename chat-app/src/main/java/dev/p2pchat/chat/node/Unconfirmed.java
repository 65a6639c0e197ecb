package dev.p2pchat.chat.node;

import dev.p2pchat.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lines this node sent that wait for their ack, per peer node, oldest first. Each peer's
 * lines are changed only inside {@link ConcurrentHashMap#compute} on its key, which locks that
 * peer alone: a broadcast and the acks coming back from many peers do not wait for each other.
 * Thread-safe.
 */
final class Unconfirmed {
  /**
   * A sent line, the nick of the peer it went to (as of when it was sent), and the connection it
   * went out on.
   */
  record Pending(String nick, ChatMessage message, long sentNanos, PeerSession via) {}

  /** Per peer node id, its lines by id in the order sent; a peer with none has no entry. */
  private final Map<String, LinkedHashMap<String, Pending>> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  /** Adds {@code message} as sent to {@code peerNodeId} at {@code sentNanos} ({@link System#nanoTime()}). */
  void add(String peerNodeId, String nick, ChatMessage message, long sentNanos, PeerSession via) {
    byPeer.compute(peerNodeId, (peer, lines) -> {
      LinkedHashMap<String, Pending> kept = lines != null ? lines : new LinkedHashMap<>();
      if (kept.put(message.id(), new Pending(nick, message, sentNanos, via)) == null) size.incrementAndGet();
      return kept;
    });
  }

  /** Removes the line {@code id} sent to {@code peerNodeId}; false if it was not waiting. */
  boolean confirm(String peerNodeId, String id) {
    boolean[] removed = new boolean[1];
    byPeer.computeIfPresent(peerNodeId, (peer, lines) -> {
      removed[0] = lines.remove(id) != null;
      return lines.isEmpty() ? null : lines;
    });
    if (removed[0]) size.decrementAndGet();
    return removed[0];
  }

  /**
   * Removes and returns the lines sent {@code timeoutNanos} or longer before {@code now}, oldest
   * first. Each peer's lines are in the order sent, so each is read only up to its first line
   * still in time.
   */
  List<Pending> takeLate(long now, long timeoutNanos) {
    List<Pending> late = new ArrayList<>();
    for (String peerNodeId : byPeer.keySet()) {
      byPeer.computeIfPresent(peerNodeId, (peer, lines) -> {
        for (Iterator<Pending> it = lines.values().iterator(); it.hasNext(); ) {
          Pending p = it.next();
          if (now - p.sentNanos() < timeoutNanos) break;
          late.add(p);
          it.remove();
          size.decrementAndGet();
        }
        return lines.isEmpty() ? null : lines;
      });
    }
    late.sort(Comparator.comparingLong(Pending::sentNanos));
    return late;
  }

  /**
   * Moves the lines waiting for {@code peerNodeId} that went out on a connection now closing onto
   * {@code target}, and returns them for sending again.
   */
  List<Pending> moveStranded(String peerNodeId, PeerSession target) {
    List<Pending> moved = new ArrayList<>();
    byPeer.computeIfPresent(peerNodeId, (peer, lines) -> {
      lines.replaceAll((id, p) -> {
        if (p.via() == target || !p.via().closing()) return p;
        Pending now = new Pending(p.nick(), p.message(), p.sentNanos(), target);
        moved.add(now);
        return now;
      });
      return lines;
    });
    return moved;
  }

  /** How many lines wait for their ack. */
  int size() {
    return size.get();
  }
}
