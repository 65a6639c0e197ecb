package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
  @Test
  void readsSecondsWithOrWithoutAUnit() {
    assertEquals(Duration.ofMillis(250), DurationText.parse("250ms"));
    assertEquals(Duration.ofSeconds(5), DurationText.parse("5s"));
    assertEquals(Duration.ofSeconds(7), DurationText.parse("7"));
    assertEquals(Duration.ofMillis(1500), DurationText.parse("1.5"));
    assertEquals(Duration.ofMillis(1500), DurationText.parse("1.5s"));
    assertEquals(Duration.ofMinutes(2), DurationText.parse("2m"));
    assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
    assertEquals(Duration.ZERO, DurationText.parse("0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "-1s", "1e3", "NaN", "0x10", "1.", ".5", "5 min", "1234567890"})
  void refusesAnythingElseSayingWhatWorks(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text));
    assertEquals("not a duration: " + text + " (try 1.5, 500ms, 5s or 2m)", e.getMessage());
  }

  @Test
  void writesShortHumanForms() {
    assertEquals("600 ms", DurationText.human(Duration.ofMillis(600)));
    assertEquals("15 s", DurationText.human(Duration.ofSeconds(15)));
    assertEquals("1.5 s", DurationText.human(Duration.ofMillis(1500)));
    assertEquals("59 min", DurationText.human(Duration.ofMinutes(59).plusSeconds(30)));
    assertEquals("2 h 5 min", DurationText.human(Duration.ofMinutes(125)));
  }
}
