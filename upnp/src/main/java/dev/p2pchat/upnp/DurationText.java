package dev.p2pchat.upnp;

import java.time.Duration;
import java.util.Locale;

/**
 * The one way p2p-chat's programs write durations: a number of seconds, decimals allowed, with an
 * optional unit ({@code 1.5}, {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}), and back in
 * short human form ({@code 600 ms}, {@code 1.5 s}, {@code 59 min}).
 */
public final class DurationText {
  private DurationText() {}

  /** Parses a duration of zero or more; throws IllegalArgumentException with a message for the user. */
  public static Duration parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    double unit = 1e9;
    if (t.endsWith("ms")) {
      unit = 1e6;
      t = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      unit = 60e9;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("h")) {
      unit = 3600e9;
      t = t.substring(0, t.length() - 1);
    }
    // Digits and one dot only: Double.parseDouble alone would take "1e3", "NaN" or "0x1p3".
    if (t.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
      return Duration.ofNanos(Math.round(Double.parseDouble(t) * unit));
    }
    throw new IllegalArgumentException("not a duration: " + text + " (try 1.5, 500ms, 5s or 2m)");
  }

  /** The short human form: {@code 15 s}, {@code 600 ms}, {@code 1.5 s}, {@code 59 min}, {@code 2 h 5 min}. */
  public static String human(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) return ms + " ms";
    if (ms < 60_000) {
      return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    if (ms < 3_600_000) return (ms / 60_000) + " min";
    return (ms / 3_600_000) + " h " + (ms % 3_600_000) / 60_000 + " min";
  }
}
