package dev.p2pchat.chat.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the nodes of one scenario printed and were typed, in the order it happened, with the
 * time since the scenario started: what failure messages quote and what is saved for people.
 */
final class Transcript {
  private final long started = System.nanoTime();
  private final List<String> entries = new ArrayList<>();

  /** A line {@code who} printed. */
  void printed(String who, String line) {
    add(String.format("%-6s| %s", who, line));
  }

  /** A line typed into {@code who}'s standard input. */
  void typed(String who, String line) {
    add(String.format("%-6s> %s", who, line));
  }

  /** Something the test itself did or saw, such as restarting a router. */
  void note(String what) {
    add("----- " + what);
  }

  private synchronized void add(String entry) {
    long millis = (System.nanoTime() - started) / 1_000_000;
    entries.add(String.format("%3d.%03d %s", millis / 1000, millis % 1000, entry));
  }

  /** Writes the transcript to {@code file}, creating its directory. */
  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, this + "\n", StandardCharsets.UTF_8);
  }

  @Override
  public synchronized String toString() {
    return String.join("\n", entries);
  }
}
