package dev.p2pchat.chat;

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
 * The lines this node sent that wait for their ack, per peer node and oldest first. Each peer's
 * lines have their own lock, which the sender takes once per line and the peer's reader once per
 * ack, however many lines it confirms; the timer takes the late lines from the front of each
 * peer's lines without looking at the others. Ids are unique per sender only: one line sent to
 * several peers has one id, so a line is known by its peer and its id. Thread-safe.
 */
final class Unconfirmed {
  /** A sent line, the nick of the peer it went to, and the connection it went out on. */
  record Pending(String nick, ChatMessage message, long sentNanos, PeerConnection via) {
    Pending resentOn(PeerConnection other) {
      return new Pending(nick, message, sentNanos, other);
    }
  }

  /** One peer's lines by id, in the order sent. Guarded by itself. */
  private static final class PeerLines {
    final Map<String, Pending> byId = new LinkedHashMap<>();
    /** Set once empty and dropped from {@link #byPeer}; an add that finds it set starts afresh. */
    boolean dropped;
  }

  private final Map<String, PeerLines> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  void add(String peerNodeId, Pending line) {
    while (true) {
      PeerLines lines = byPeer.computeIfAbsent(peerNodeId, peer -> new PeerLines());
      synchronized (lines) {
        if (lines.dropped) continue;
        if (lines.byId.put(line.message().id(), line) != null) return; // the same line again
      }
      size.incrementAndGet();
      return;
    }
  }

  /** Removes the lines {@code ids} sent to {@code peerNodeId}; returns those it did not hold. */
  List<String> confirm(String peerNodeId, List<String> ids) {
    PeerLines lines = byPeer.get(peerNodeId);
    List<String> unknown = null;
    int removed = 0;
    if (lines != null) {
      synchronized (lines) {
        for (String id : ids) {
          if (lines.byId.remove(id) != null) {
            removed++;
          } else {
            if (unknown == null) unknown = new ArrayList<>();
            unknown.add(id);
          }
        }
      }
    }
    size.addAndGet(-removed);
    return lines == null ? ids : unknown == null ? List.of() : unknown;
  }

  /**
   * Removes and returns the lines sent {@code timeoutNanos} or longer before {@code now}, oldest
   * first. A peer's lines are in the order sent, so each peer's are read only up to its first line
   * still in time.
   */
  List<Pending> takeLate(long now, long timeoutNanos) {
    List<Pending> late = new ArrayList<>();
    byPeer.forEach((peer, lines) -> {
      synchronized (lines) {
        for (Iterator<Pending> it = lines.byId.values().iterator(); it.hasNext(); ) {
          Pending p = it.next();
          if (now - p.sentNanos() < timeoutNanos) break;
          it.remove();
          late.add(p);
        }
        if (lines.byId.isEmpty()) {
          lines.dropped = true;
          byPeer.remove(peer, lines);
        }
      }
    });
    size.addAndGet(-late.size());
    late.sort(Comparator.comparingLong(Pending::sentNanos));
    return late;
  }

  /**
   * Moves the lines waiting for {@code peerNodeId} that went out on a connection now closing onto
   * {@code target}, and returns them for sending again.
   */
  List<Pending> moveStranded(String peerNodeId, PeerConnection target) {
    PeerLines lines = byPeer.get(peerNodeId);
    if (lines == null) return List.of();
    List<Pending> moved = new ArrayList<>();
    synchronized (lines) {
      lines.byId.replaceAll((id, p) -> {
        if (p.via() == target || !p.via().closing()) return p;
        Pending resent = p.resentOn(target);
        moved.add(resent);
        return resent;
      });
    }
    return moved;
  }

  int size() {
    return size.get();
  }
}
