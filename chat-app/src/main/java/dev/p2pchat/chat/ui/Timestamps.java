package dev.p2pchat.chat.ui;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The short local time shown before each line in the terminal ({@code 14:02 <bob> hi}): hours
 * and minutes, 24-hour, zero-padded, in the clock's time zone. Hidden when the user asks, and
 * always in plain mode, whose lines scripts read as they are.
 */
public final class Timestamps {
  private static final DateTimeFormatter HOURS_MINUTES = DateTimeFormatter.ofPattern("HH:mm");
  private static final Timestamps HIDDEN = new Timestamps(null);

  private final Clock clock;

  private Timestamps(Clock clock) {
    this.clock = clock;
  }

  /** Times read from {@code clock}, in its zone (the system's: {@link Clock#systemDefaultZone()}). */
  public static Timestamps shown(Clock clock) {
    return new Timestamps(clock);
  }

  public static Timestamps hidden() {
    return HIDDEN;
  }

  /** The rule: shown on a terminal unless {@code hide} (the user's option), never in plain mode. */
  public static Timestamps choose(boolean terminal, boolean hide, Clock clock) {
    return terminal && !hide ? shown(clock) : hidden();
  }

  /** The time now, like {@code 14:02}, or empty when hidden. */
  public Optional<String> now() {
    return clock == null ? Optional.empty() : Optional.of(LocalTime.now(clock).format(HOURS_MINUTES));
  }
}
