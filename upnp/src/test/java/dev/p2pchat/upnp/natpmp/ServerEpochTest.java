package dev.p2pchat.upnp.natpmp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerEpochTest {
  private static final long S = 1_000_000_000L;
  private final ServerEpoch epoch = new ServerEpoch();

  @Test
  void theFirstAnswerIsNeverAReboot() {
    assertFalse(epoch.rebooted(5, 0));
  }

  @Test
  void anEpochKeepingPaceWithOurClockIsNoReboot() {
    epoch.rebooted(1000, 0);
    assertFalse(epoch.rebooted(1030, 30 * S));
    assertFalse(epoch.rebooted(1061, 60 * S), "a second of rounding is fine");
    assertFalse(epoch.rebooted(1060, 61 * S));
  }

  @Test
  void anEpochGoingBackwardsIsAReboot() {
    epoch.rebooted(1000, 0);
    assertTrue(epoch.rebooted(3, 30 * S));
  }

  @Test
  void anEpochThatFellBehindOurClockIsAReboot() {
    // the router rebooted 20 s after our last answer and has been up 70 s since
    epoch.rebooted(10, 0);
    assertTrue(epoch.rebooted(70, 90 * S));
  }

  @Test
  void anEpochRunningFarAheadOfOurClockIsInvalidToo() {
    epoch.rebooted(10, 0);
    assertTrue(epoch.rebooted(500, 30 * S));
  }

  @Test
  void afterARebootTheNewEpochIsTheReference() {
    epoch.rebooted(1000, 0);
    assertTrue(epoch.rebooted(2, 30 * S));
    assertFalse(epoch.rebooted(32, 60 * S));
  }
}
