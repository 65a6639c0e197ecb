package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2pchat.chat.Unconfirmed.Pending;
import dev.p2pchat.protocol.ChatMessage;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UnconfirmedTest {
  private final Unconfirmed unconfirmed = new Unconfirmed();

  private static Pending line(String id, long sentNanos) {
    return new Pending("bob", new ChatMessage(id, "alice", "text of " + id, 0, null), sentNanos, null);
  }

  private static List<String> ids(List<Pending> lines) {
    return lines.stream().map(p -> p.message().id()).collect(Collectors.toList());
  }

  @Test
  void anAckConfirmsTheLinesItNamesForItsPeerOnly() {
    unconfirmed.add("bob", line("1", 10));
    unconfirmed.add("bob", line("2", 20));
    unconfirmed.add("carol", line("1", 10));
    assertEquals(3, unconfirmed.size());

    assertEquals(List.of("3"), unconfirmed.confirm("bob", List.of("1", "3")));
    assertEquals(2, unconfirmed.size());
    assertEquals(List.of("1"), unconfirmed.confirm("bob", List.of("1")), "confirmed once only");
    assertEquals(List.of("9"), unconfirmed.confirm("dave", List.of("9")), "an unknown peer");
    assertEquals(List.of(), unconfirmed.confirm("carol", List.of("1")));
    assertEquals(1, unconfirmed.size());
  }

  @Test
  void lateLinesAreTakenOldestFirstAcrossPeers() {
    unconfirmed.add("bob", line("b1", 100));
    unconfirmed.add("carol", line("c1", 150));
    unconfirmed.add("bob", line("b2", 200));
    unconfirmed.add("carol", line("c2", 900));

    assertEquals(List.of("b1", "c1", "b2"), ids(unconfirmed.takeLate(1000, 500)));
    assertEquals(1, unconfirmed.size());
    assertEquals(List.of(), unconfirmed.takeLate(1000, 500));
    assertEquals(List.of("c2"), ids(unconfirmed.takeLate(1400, 500)));
    assertEquals(0, unconfirmed.size());
  }

  @Test
  void aPeerWhoseLinesWereAllTakenCanBeSentToAgain() {
    unconfirmed.add("bob", line("1", 0));
    assertEquals(List.of("1"), ids(unconfirmed.takeLate(10, 5)));
    unconfirmed.add("bob", line("2", 20));
    assertEquals(List.of(), unconfirmed.confirm("bob", List.of("2")));
    assertEquals(0, unconfirmed.size());
  }
}
