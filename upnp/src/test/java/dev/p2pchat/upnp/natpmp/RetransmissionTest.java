package dev.p2pchat.upnp.natpmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetransmissionTest {
  @Test
  void natPmpWaits250MsThenDoubles() {
    assertEquals(250_000_000L, Retransmission.NAT_PMP.waitNanos(1));
    assertEquals(500_000_000L, Retransmission.NAT_PMP.waitNanos(2));
    assertEquals(64_000_000_000L, Retransmission.NAT_PMP.waitNanos(9));
    assertEquals(64_000_000_000L, Retransmission.NAT_PMP.waitNanos(30), "capped");
  }

  @Test
  void pcpWaitsAbout3SThenDoublesWithinTenPercent() {
    for (int i = 0; i < 100; i++) {
      long first = Retransmission.PCP.waitNanos(1);
      assertTrue(first >= 2_700_000_000L && first <= 3_300_000_000L, "" + first);
      long second = Retransmission.PCP.waitNanos(2);
      assertTrue(second >= 5_400_000_000L && second <= 6_600_000_000L, "" + second);
      long late = Retransmission.PCP.waitNanos(20);
      assertTrue(late >= 921_600_000_000L && late <= 1_126_400_000_000L, "MRT 1024 s: " + late);
    }
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class,
        () -> new Retransmission(Duration.ZERO, Duration.ofSeconds(1), false));
    assertThrows(IllegalArgumentException.class,
        () -> new Retransmission(Duration.ofSeconds(2), Duration.ofSeconds(1), false));
  }
}
