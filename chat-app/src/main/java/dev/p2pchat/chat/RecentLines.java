package dev.p2pchat.chat;

/**
 * The last so many lines received, each known by its sender's node id and its id, oldest
 * forgotten first. Thread-safe.
 *
 * <p>Every line read passes through here, so it is built for that: the lines are kept in a ring in
 * the order they came, and found through an open-addressing table (linear probing, with
 * backward-shift deletion when the oldest line is forgotten) whose slots each hold a line's hash
 * and ring position in one long. Remembering a line allocates nothing, where a {@code
 * LinkedHashMap} made a key and an entry per line, and probing and forgetting read only the table,
 * a few neighbouring slots, never the strings of lines that came long ago (cache misses, most of
 * the time a map spent here).
 */
final class RecentLines {
  private final String[] senders;
  private final String[] ids;
  /** Each line's hash by ring position, read in ring order to find the oldest line's slot. */
  private final int[] hashes;
  /** A line's hash in the high half and its ring position + 1 in the low half; 0 is free. */
  private final long[] slots;
  private final int shift;
  /** Where the next line goes in the ring; once it is full, the oldest line is there. */
  private int next;
  private int count;

  RecentLines(int capacity) {
    if (capacity < 1 || capacity > 1 << 28) throw new IllegalArgumentException("capacity " + capacity);
    senders = new String[capacity];
    ids = new String[capacity];
    hashes = new int[capacity];
    int bits = 32 - Integer.numberOfLeadingZeros(2 * capacity - 1); // at most half full
    slots = new long[1 << bits];
    shift = 32 - bits;
  }

  /** Remembers the line {@code id} from {@code sender}; false if it was remembered already. */
  synchronized boolean add(String sender, String id) {
    int mask = slots.length - 1;
    int hash = hash(sender, id);
    int i = hash >>> shift;
    for (long slot; (slot = slots[i]) != 0; i = (i + 1) & mask) {
      int line = (int) slot - 1;
      if ((int) (slot >>> 32) == hash && ids[line].equals(id) && senders[line].equals(sender)) return false;
    }
    if (count == senders.length) {
      forget(next);
      i = hash >>> shift; // forgetting may have moved lines into the run searched
      while (slots[i] != 0) i = (i + 1) & mask;
    } else {
      count++;
    }
    senders[next] = sender;
    ids[next] = id;
    hashes[next] = hash;
    slots[i] = (long) hash << 32 | (next + 1);
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
    while ((int) slots[gap] != line + 1) gap = (gap + 1) & mask;
    for (int i = (gap + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
      int home = (int) (slots[i] >>> 32) >>> shift;
      if (((i - home) & mask) >= ((i - gap) & mask)) {
        slots[gap] = slots[i];
        gap = i;
      }
    }
    slots[gap] = 0;
  }

  /**
   * A line's hash; its top bits are the slot its search starts at. Ids like {@code 1}, {@code 2}
   * have nearby string hashes: the multiplication (Fibonacci hashing) spreads them.
   */
  private static int hash(String sender, String id) {
    return (id.hashCode() * 31 + sender.hashCode()) * 0x9E3779B9;
  }
}
