package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatEvent.PeerError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScreenLimitsTest {
  private final List<String> screen = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000);
  private final ScreenLimits limits = new ScreenLimits(e -> screen.add(e.text()), now::get);

  private static ChatEvent line(String from, int n) {
    return new Chat(from, null, "line " + n, 0, false);
  }

  @Test
  void linesFromAllPeersAreBoundedPerSecondAndTheRestFoldedIntoOneLine() {
    for (int i = 0; i < 1_284; i++) limits.show(line("p" + i % 5, i));
    assertEquals(ScreenLimits.LINES_PER_SECOND, screen.size(), "the 50th shown, the 51st not");
    assertEquals("<p4> line 49", screen.get(49));
    limits.show(new Chat("me", null, "mine", 0, true));
    limits.show(Notice.info("node notice"));
    assertEquals(List.of("<me> mine", "node notice"), screen.subList(50, 52), "ours always pass");

    now.addAndGet(999_999_999);
    limits.flush();
    assertEquals(52, screen.size(), "the second is not over yet");
    now.addAndGet(1);
    limits.flush();
    assertEquals("… 1,234 lines from 5 peers not shown", screen.get(52));
    limits.flush();
    assertEquals(53, screen.size(), "folded once");

    limits.show(line("p0", 9_999));
    assertEquals("<p0> line 9999", screen.get(53), "a new second shows lines again");
  }

  @Test
  void errorReportsAreBoundedPerMinute() {
    for (int i = 0; i < ScreenLimits.ERRORS_PER_MINUTE + 3; i++) limits.show(new PeerError("bob", "rate-limited", "#" + i));
    assertEquals(ScreenLimits.ERRORS_PER_MINUTE, screen.size());
    assertEquals("! bob reports rate-limited: #9", screen.get(9));
    now.addAndGet(60_000_000_000L);
    limits.show(new PeerError("bob", "rate-limited", "again"));
    assertEquals(List.of("… 3 error reports from 1 peer not shown", "! bob reports rate-limited: again"),
        screen.subList(10, 12));
  }
}
