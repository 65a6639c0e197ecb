package dev.p2pchat.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last so many lines seen, oldest forgotten first. Thread-safe. */
final class RecentLines {
  private final Map<Node.LineKey, Boolean> lines;

  RecentLines(int capacity) {
    this.lines = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Node.LineKey, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Remembers {@code line}; false if it was remembered already. */
  synchronized boolean add(Node.LineKey line) {
    return lines.put(line, Boolean.TRUE) == null;
  }
}
