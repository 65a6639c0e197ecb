package dev.p2pchat.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/** The last so many ids seen, oldest forgotten first. Thread-safe. */
final class RecentIds {
  private final Map<String, Boolean> ids;

  RecentIds(int capacity) {
    this.ids = new LinkedHashMap<>(capacity * 4 / 3 + 1) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Remembers {@code id}; false if it was remembered already. */
  synchronized boolean add(String id) {
    return ids.put(id, Boolean.TRUE) == null;
  }
}
