package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.Message;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueBudgetTest {
  private static final Transport.Receiver NOBODY = new Transport.Receiver() {
    @Override
    public boolean onMessage(Message message) {
      return false;
    }

    @Override
    public boolean onBadFrame(DecodeException e) {
      return false;
    }

    @Override
    public void onClosed(String reason) {}
  };

  /** A transport whose writer never runs, so that what is sent stays queued. */
  private static Transport idle(QueueBudget budget) throws Exception {
    Socket socket = new Socket();
    return new Transport(socket, socket, "test", 1000, 1 << 20, budget, Duration.ofSeconds(5),
        Duration.ofMillis(10), NOBODY);
  }

  @Test
  void thePeerWhoseFramePassesTheTotalIsRefusedAndAClosedQueueGivesItsBytesBack() throws Exception {
    QueueBudget budget = new QueueBudget(10_000);
    Transport a = idle(budget);
    Transport b = idle(budget);
    assertEquals(Transport.Queued.QUEUED, a.send(new byte[6_000]));
    assertEquals(Transport.Queued.QUEUED, b.send(new byte[4_000]), "the last byte allowed");
    assertEquals(Transport.Queued.FULL, b.send(new byte[1]), "the first byte refused");
    assertTrue(b.backlog().contains("waiting for all peers past 9 KiB"), b.backlog());
    assertEquals(10_000, budget.used());

    a.close();
    assertEquals(4_000, budget.used());
    assertEquals(Transport.Queued.QUEUED, b.send(new byte[6_000]));
    b.close();
    assertEquals(0, budget.used());
  }
}
