package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.Unconfirmed.Pending;
import dev.p2pchat.protocol.ChatMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UnconfirmedTest {
  private final Unconfirmed unconfirmed = new Unconfirmed();

  private int lines;

  private ChatMessage line() {
    return new ChatMessage(Integer.toString(++lines), "alice", "hi", 0, null);
  }

  private void add(String peer, ChatMessage m) {
    unconfirmed.add(peer, peer, m, System.nanoTime(), null);
  }

  private static List<String> ids(List<Pending> lines) {
    return lines.stream().map(p -> p.message().id()).collect(Collectors.toList());
  }

  @Test
  void anAckConfirmsTheLineItNamesForItsPeerOnly() {
    ChatMessage first = line();
    ChatMessage second = line();
    add("bob", first);
    add("bob", second);
    add("carol", first);
    assertEquals(3, unconfirmed.size());

    assertFalse(unconfirmed.confirm("bob", "x"));
    assertTrue(unconfirmed.confirm("bob", first.id()));
    assertEquals(2, unconfirmed.size());
    assertFalse(unconfirmed.confirm("bob", first.id()), "confirmed once only");
    assertFalse(unconfirmed.confirm("dave", first.id()), "an unknown peer");
    assertTrue(unconfirmed.confirm("carol", first.id()));
    assertTrue(unconfirmed.confirm("bob", second.id()));
    assertEquals(0, unconfirmed.size());
  }

  @Test
  void lateLinesAreTakenOldestFirstAcrossPeers() throws Exception {
    add("bob", line());
    add("carol", line());
    add("bob", line());
    Thread.sleep(20);
    long now = System.nanoTime();
    ChatMessage recent = line();
    add("carol", recent);

    List<Pending> late = unconfirmed.takeLate(now, 10_000_000);
    assertEquals(List.of("1", "2", "3"), ids(late));
    assertEquals(List.of("bob", "carol", "bob"), late.stream().map(Pending::nick).collect(Collectors.toList()));
    assertEquals(1, unconfirmed.size());
    assertEquals(List.of(), unconfirmed.takeLate(now, 10_000_000));
    assertEquals(List.of(recent.id()), ids(unconfirmed.takeLate(now + 60_000_000_000L, 10_000_000)));
    assertEquals(0, unconfirmed.size());
  }

  @Test
  void aPeerWhoseLinesWereAllTakenCanBeSentToAgain() {
    add("bob", line());
    assertEquals(List.of("1"), ids(unconfirmed.takeLate(System.nanoTime() + 1, 0)));
    ChatMessage next = line();
    add("bob", next);
    assertTrue(unconfirmed.confirm("bob", next.id()));
    assertEquals(0, unconfirmed.size());
  }

  /** Lines added out of order and confirmed in random order, against a list as the model. */
  @Test
  void agreesWithAModel() {
    Random random = new Random(7);
    List<ChatMessage> made = new ArrayList<>();
    for (int i = 0; i < 5000; i++) made.add(line());
    List<ChatMessage> waiting = new ArrayList<>();
    int next = 0;
    for (int step = 0; step < 7_000; step++) {
      if (next < made.size() && (waiting.isEmpty() || random.nextInt(3) > 0)) {
        // mostly in order, now and then two swapped, as two sending threads would
        int take = next + 1 < made.size() && random.nextInt(10) == 0 ? next + 1 : next;
        ChatMessage m = made.get(take);
        if (take != next) Collections.swap(made, next, take);
        next++;
        add("bob", m);
        waiting.add(m);
      } else if (!waiting.isEmpty()) {
        int at = random.nextInt(4) == 0 ? random.nextInt(waiting.size()) : 0;
        ChatMessage m = waiting.remove(at);
        assertTrue(unconfirmed.confirm("bob", m.id()), "step " + step);
      }
      assertEquals(waiting.size(), unconfirmed.size());
    }
    assertTrue(waiting.size() > 1000, "lines left: " + waiting.size());
    List<String> left = waiting.stream().map(ChatMessage::id).sorted().collect(Collectors.toList());
    assertEquals(left, ids(unconfirmed.takeLate(System.nanoTime() + 1, 0)).stream().sorted().collect(Collectors.toList()));
    assertEquals(0, unconfirmed.size());
  }
}
