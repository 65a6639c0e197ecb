package dev.p2pchat.chat.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the lines received lately from each node, so that a line sent again (its connection
 * failed before the ack came back, or two connections between the same nodes were collapsing) is
 * shown only once. Thread-safe.
 */
final class ReceivedLines {
  private final int idsPerSender;
  /** Per sender node id, its latest line ids; the sender heard from longest ago goes first. */
  private final Map<String, Map<String, Boolean>> senders;

  /**
   * @param maxSenders how many senders are remembered
   * @param idsPerSender how many of each sender's latest lines are remembered
   */
  ReceivedLines(int maxSenders, int idsPerSender) {
    this.idsPerSender = idsPerSender;
    this.senders = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Map<String, Boolean>> eldest) {
        return size() > maxSenders;
      }
    };
  }

  /** Remembers line {@code id} from node {@code nodeId}; false if it was remembered already. */
  synchronized boolean add(String nodeId, String id) {
    Map<String, Boolean> ids = senders.computeIfAbsent(nodeId, n -> new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > idsPerSender;
      }
    });
    return ids.put(id, Boolean.TRUE) == null;
  }
}
