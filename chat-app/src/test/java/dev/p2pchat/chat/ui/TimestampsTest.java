package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static Clock at(String instant, String zone) {
    return Clock.fixed(Instant.parse(instant), ZoneId.of(zone));
  }

  @Test
  void hoursAndMinutesInTheClocksZone() {
    assertEquals(Optional.of("14:02"), Timestamps.shown(at("2026-12-04T14:02:59Z", "UTC")).now());
    assertEquals(Optional.of("15:02"), Timestamps.shown(at("2026-12-04T14:02:00Z", "Europe/Berlin")).now());
    assertEquals(Optional.of("16:02"), Timestamps.shown(at("2026-07-04T14:02:00Z", "Europe/Berlin")).now(), "summer time");
    assertEquals(Optional.of("19:32"), Timestamps.shown(at("2026-12-04T14:02:00Z", "Asia/Kolkata")).now());
  }

  @Test
  void twentyFourHoursZeroPadded() {
    assertEquals(Optional.of("00:00"), Timestamps.shown(at("2026-12-04T00:00:00Z", "UTC")).now());
    assertEquals(Optional.of("09:05"), Timestamps.shown(at("2026-12-04T09:05:00Z", "UTC")).now());
    assertEquals(Optional.of("23:59"), Timestamps.shown(at("2026-12-04T23:59:59.999Z", "UTC")).now());
  }

  @Test
  void shownOnATerminalUnlessHiddenNeverInPlainMode() {
    Clock clock = Clock.fixed(Instant.parse("2026-12-04T14:02:00Z"), ZoneOffset.UTC);
    assertEquals(Optional.of("14:02"), Timestamps.choose(true, false, clock).now());
    assertEquals(Optional.empty(), Timestamps.choose(true, true, clock).now());
    assertEquals(Optional.empty(), Timestamps.choose(false, false, clock).now());
    assertEquals(Optional.empty(), Timestamps.choose(false, true, clock).now());
    assertEquals(Optional.empty(), Timestamps.hidden().now());
  }
}
