package dev.p2pchat.chat;

import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.LineNumbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lines this node sent that wait for their ack, per peer node and oldest first. Each peer's
 * lines have their own lock, which the sender takes once per line and the peer's reader once per
 * ack, however many lines it confirms; the timer takes the late lines from the front of each
 * peer's lines without looking at the others. Thread-safe.
 *
 * <p>It numbers the lines too, and a line's id is its number as {@link LineNumbers} writes it. Each
 * peer's lines are kept in an array in number order, and an ack is matched by its number: at the
 * front, where acks (which come in the order the lines were read) nearly always find it, else by
 * binary search. No id is hashed, and an ack naming lines this node never sent costs a failed
 * parse or a search, never a scan.
 */
final class Unconfirmed {
  /**
   * A sent line, the nick of the peer it went to (as of the last line sent to that peer), and the
   * connection it went out on.
   */
  record Pending(String nick, ChatMessage message, long sentNanos, PeerConnection via) {}

  /** The number of this node's next line. */
  long nextNumber() {
    return numbered.incrementAndGet();
  }

  /**
   * One peer's lines in number order, from {@code start} for {@code end - start} slots; a slot
   * whose line was confirmed holds null (its number stays, for the search) until the front passes
   * it. A line's send time and connection sit in arrays beside it rather than in an object per
   * line, which cost the sender an allocation for each. Guarded by itself.
   */
  private static final class PeerLines {
    final String peerNodeId;
    long[] numbers = new long[16];
    ChatMessage[] lines = new ChatMessage[16];
    long[] sentNanos = new long[16];
    PeerConnection[] via = new PeerConnection[16];
    /** The peer's nick when it was last sent a line, as notices name it. */
    String nick;
    int start;
    int end;
    /**
     * Written under the lock, with release stores: a volatile store is a full fence, and the
     * sender makes one per line. Read without the lock by {@link #size()}.
     */
    int count;
    /** Set once empty and dropped from {@link #byPeer}; an add that finds it set starts afresh. */
    boolean dropped;

    PeerLines(String peerNodeId) {
      this.peerNodeId = peerNodeId;
    }

    void add(String nick, ChatMessage line, long sent, PeerConnection connection) {
      if (end == lines.length) makeRoom();
      int at = end;
      // A line numbered before the last one (two threads sending at once) moves into place.
      while (at > start && numbers[at - 1] > line.number()) at--;
      if (at < end) {
        System.arraycopy(numbers, at, numbers, at + 1, end - at);
        System.arraycopy(lines, at, lines, at + 1, end - at);
        System.arraycopy(sentNanos, at, sentNanos, at + 1, end - at);
        System.arraycopy(via, at, via, at + 1, end - at);
      }
      numbers[at] = line.number();
      lines[at] = line;
      sentNanos[at] = sent;
      via[at] = connection;
      this.nick = nick;
      end++;
      COUNT.setRelease(this, count + 1);
    }

    /**
     * Drops the confirmed slots and moves the rest to the front: in place, or into arrays twice as
     * large if they are half full. (New arrays each time cost the sender about 25 bytes of
     * allocation per line at a steady 4,096 lines waiting.)
     */
    private void makeRoom() {
      boolean grow = count * 2 >= lines.length;
      long[] n = grow ? new long[2 * numbers.length] : numbers;
      ChatMessage[] l = grow ? new ChatMessage[2 * lines.length] : lines;
      long[] s = grow ? new long[2 * sentNanos.length] : sentNanos;
      PeerConnection[] v = grow ? new PeerConnection[2 * via.length] : via;
      int kept = 0;
      for (int i = start; i < end; i++) { // kept <= i, so moving in place reads ahead of writing
        if (lines[i] == null) continue;
        n[kept] = numbers[i];
        l[kept] = lines[i];
        s[kept] = sentNanos[i];
        v[kept++] = via[i];
      }
      if (!grow) {
        Arrays.fill(lines, kept, end, null);
        Arrays.fill(via, kept, end, null);
      }
      numbers = n;
      lines = l;
      sentNanos = s;
      via = v;
      start = 0;
      end = kept;
    }

    /** Removes the lines numbered {@code first} to {@code last}; how many it held. */
    int remove(long first, long last) {
      int at = start < end && numbers[start] >= first ? start : Arrays.binarySearch(numbers, start, end, first);
      if (at < 0) at = -at - 1; // where first would be
      int removed = 0;
      for (int i = at; i < end && numbers[i] <= last; i++) {
        if (lines[i] != null) {
          lines[i] = null;
          via[i] = null;
          removed++;
        }
      }
      COUNT.setRelease(this, count - removed);
      while (start < end && lines[start] == null) start++;
      return removed;
    }

    /** The oldest line, if sent {@code timeoutNanos} or longer before {@code now}: removed and returned. */
    Pending takeLate(long now, long timeoutNanos) {
      if (start == end || now - sentNanos[start] < timeoutNanos) return null;
      Pending late = pending(start);
      remove(numbers[start], numbers[start]);
      return late;
    }

    Pending pending(int i) {
      return new Pending(nick, lines[i], sentNanos[i], via[i]);
    }
  }

  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(PeerLines.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Map<String, PeerLines> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong numbered = new AtomicLong();
  /**
   * The peer last added to, kept so that a run of lines to one peer skips the map. Read and
   * written without a lock or a fence (a volatile write is a full one, and a broadcast makes one
   * per peer): a thread that sees an older value only looks in the map, the peer id it compares
   * is a final field, and all else is read under the peer's own lock, dropped flag included.
   */
  private PeerLines lastAddedTo;

  /**
   * Adds {@code message}, one of this node's {@link ChatMessage#numbered numbered} lines, as sent
   * to {@code peerNodeId} at {@code sentNanos} ({@link System#nanoTime()}).
   */
  void add(String peerNodeId, String nick, ChatMessage message, long sentNanos, PeerConnection via) {
    PeerLines lines = lastAddedTo;
    while (true) {
      if (lines == null || !lines.peerNodeId.equals(peerNodeId)) {
        lines = byPeer.computeIfAbsent(peerNodeId, PeerLines::new);
        lastAddedTo = lines;
      }
      synchronized (lines) {
        if (!lines.dropped) {
          lines.add(nick, message, sentNanos, via);
          return;
        }
      }
      lines = null;
    }
  }

  /** Removes the lines {@code ids} sent to {@code peerNodeId}; returns those it did not hold. */
  List<String> confirm(String peerNodeId, List<String> ids) {
    PeerLines lines = byPeer.get(peerNodeId);
    if (lines == null) return ids;
    // Parsed before taking the lock, which the sender needs for every line it sends.
    long[] numbers = new long[ids.size()];
    for (int i = 0; i < numbers.length; i++) numbers[i] = LineNumbers.number(ids.get(i));
    List<String> unknown = null;
    synchronized (lines) {
      for (int i = 0; i < numbers.length; i++) {
        if (numbers[i] < 0 || lines.remove(numbers[i], numbers[i]) == 0) {
          if (unknown == null) unknown = new ArrayList<>();
          unknown.add(ids.get(i));
        }
      }
    }
    return unknown == null ? List.of() : unknown;
  }

  /**
   * Removes the lines in {@code runs} sent to {@code peerNodeId}; returns how many of the numbers
   * the runs span it did not hold. Each run costs a search and a look at each line it confirms,
   * however many numbers it spans.
   */
  long confirmRuns(String peerNodeId, List<Ack.Run> runs) {
    long spanned = 0;
    for (Ack.Run run : runs) spanned += run.last() - run.first() + 1;
    PeerLines lines = byPeer.get(peerNodeId);
    if (lines == null) return spanned;
    long confirmed = 0;
    synchronized (lines) {
      for (Ack.Run run : runs) confirmed += lines.remove(run.first(), run.last());
    }
    return spanned - confirmed;
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
        for (Pending p = lines.takeLate(now, timeoutNanos); p != null; p = lines.takeLate(now, timeoutNanos)) {
          late.add(p);
        }
        if (lines.count == 0) {
          lines.dropped = true;
          byPeer.remove(peer, lines);
        }
      }
    });
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
      for (int i = lines.start; i < lines.end; i++) {
        PeerConnection via = lines.via[i];
        if (via == null || via == target || !via.closing()) continue;
        lines.via[i] = target;
        moved.add(lines.pending(i));
      }
    }
    return moved;
  }

  /**
   * How many lines wait for their ack: each peer's count, read without its lock. A counter of its
   * own, which the sender and every ack reader update, bounced its cache line, and the line
   * counter's beside it, between them; taking each peer's lock to count made the ack reader wait.
   */
  int size() {
    int size = 0;
    for (PeerLines lines : byPeer.values()) size += (int) COUNT.getAcquire(lines);
    return size;
  }
}
