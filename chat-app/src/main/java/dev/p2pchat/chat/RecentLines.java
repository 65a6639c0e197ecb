package dev.p2pchat.chat;

/**
 * The last so many lines received, each known by its sender's node id and its id, oldest
 * forgotten first. Thread-safe.
 *
 * <p>Every line read passes through here, so it is built for that: the lines are kept in a ring in
 * the order they came, and found through an open-addressing table of ring positions (linear
 * probing, with backward-shift deletion when the oldest line is forgotten). Remembering a line
 * allocates nothing, where a {@code LinkedHashMap} made a key and an entry per line, and each
 * line's hash is kept beside it, so that probing and forgetting do not touch the strings of lines
 * that came long ago (cache misses, most of the time a map spent here).
 */
final class RecentLines {
  private final String[] senders;
  private final String[] ids;
  private final int[] hashes;
  /** Ring position + 1 of a remembered line, 0 for a free slot; at most half full. */
  private final int[] slots;
  private final int shift;
  /** Where the next line goes in the ring; once it is full, the oldest line is there. */
  private int next;
  private int count;

  RecentLines(int capacity) {
    if (capacity < 1 || capacity > 1 << 28) throw new IllegalArgumentException("capacity " + capacity);
    senders = new String[capacity];
    ids = new String[capacity];
    hashes = new int[capacity];
    int bits = 32 - Integer.numberOfLeadingZeros(2 * capacity - 1);
    slots = new int[1 << bits];
    shift = 32 - bits;
  }

  /** Remembers the line {@code id} from {@code sender}; false if it was remembered already. */
  synchronized boolean add(String sender, String id) {
    int mask = slots.length - 1;
    int hash = hash(sender, id);
    for (int i = hash >>> shift; slots[i] != 0; i = (i + 1) & mask) {
      int line = slots[i] - 1;
      if (hashes[line] == hash && ids[line].equals(id) && senders[line].equals(sender)) return false;
    }
    if (count == senders.length) {
      forget(next);
    } else {
      count++;
    }
    senders[next] = sender;
    ids[next] = id;
    hashes[next] = hash;
    int i = hash >>> shift;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = next + 1;
    next = next + 1 == senders.length ? 0 : next + 1;
    return true;
  }

  /**
   * Frees the slot of the line at ring position {@code line}, then moves each line after it in
   * the same run of slots back into the gap if that is still on its way from its home slot.
   */
  private void forget(int line) {
    int mask = slots.length - 1;
    int gap = hashes[line] >>> shift;
    while (slots[gap] != line + 1) gap = (gap + 1) & mask;
    for (int i = (gap + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
      int other = slots[i] - 1;
      int home = hashes[other] >>> shift;
      if (((i - home) & mask) >= ((i - gap) & mask)) {
        slots[gap] = slots[i];
        gap = i;
      }
    }
    slots[gap] = 0;
  }

  /**
   * A line's hash; its top bits are the slot its search starts at. Ids like {@code node:1}, {@code
   * node:2} have nearby string hashes: the multiplication (Fibonacci hashing) spreads them.
   */
  private static int hash(String sender, String id) {
    return (id.hashCode() * 31 + sender.hashCode()) * 0x9E3779B9;
  }
}
