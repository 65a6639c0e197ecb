package dev.p2pchat.chat;

import java.time.Duration;

/** Short human forms of durations: {@code 15 s}, {@code 600 ms}, {@code 1.5 s}, {@code 59 min}. */
final class Durations {
  private Durations() {}

  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    if (ms < 60_000) {
      return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms < 3_600_000) return (ms / 60_000) + " min";
    return (ms / 3_600_000) + " h " + (ms % 3_600_000) / 60_000 + " min";
  }

  /**
   * Parses {@code 500ms}, {@code 5s}, {@code 2m} or a bare number of seconds, for options.
   * Throws IllegalArgumentException with a message fit for the user.
   */
  static Duration parse(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    long factor = 1000;
    String digits = t;
    if (t.endsWith("ms")) {
      factor = 1;
      digits = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      digits = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factor = 60_000;
      digits = t.substring(0, t.length() - 1);
    }
    if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a duration: " + text + " (try 500ms, 5s or 2m)");
    }
    long ms = Long.parseLong(digits) * factor;
    if (ms <= 0) throw new IllegalArgumentException("duration must be positive: " + text);
    return Duration.ofMillis(ms);
  }
}
