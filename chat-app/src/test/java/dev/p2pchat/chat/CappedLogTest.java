package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CappedLogTest {
  @TempDir Path dir;

  private static String line(int n) {
    return String.format("2026-12-04 19:00:00.%03d [peer-reader from 10.0.0.%d:%d] INFO Transport - refusing: full", n % 1000, n % 250, 40000 + n);
  }

  @Test
  void linesAlikeButForTheirNumbersAreWrittenOnceThenCounted() throws IOException {
    Path file = dir.resolve("chat.log");
    try (PrintStream log = new PrintStream(new CappedLog(file, 1 << 20), true, StandardCharsets.UTF_8)) {
      log.println("start");
      for (int i = 0; i < 5_001; i++) log.println(line(i));
      log.println("the flood is over");
    }
    assertEquals(List.of("start", line(0), "… repeated 5,000 times (numbers may differ)", "the flood is over"),
        Files.readAllLines(file));
  }

  @Test
  void aRunThatNeverEndsIsStillCounted() throws IOException {
    Path file = dir.resolve("chat.log");
    try (PrintStream log = new PrintStream(new CappedLog(file, 1 << 20), true, StandardCharsets.UTF_8)) {
      for (int i = 0; i <= CappedLog.NOTE_EVERY; i++) log.println(line(i));
      assertEquals(List.of(line(0), "… repeated 10,000 times (numbers may differ)"), Files.readAllLines(file));
    }
  }

  @Test
  void theFileIsRotatedAtItsCapSoTheLogNeverTakesMoreThanTwice() throws IOException {
    Path file = dir.resolve("chat.log");
    Path old = dir.resolve("chat.log.1");
    String nine = "abcdefgh"; // with a letter and a line break, 10 bytes
    try (PrintStream log = new PrintStream(new CappedLog(file, 100), true, StandardCharsets.UTF_8)) {
      for (int i = 0; i < 10; i++) log.println(nine + (char) ('a' + i)); // lines without digits fold only if equal
      assertEquals(100, Files.size(file), "the last line that fits");
      assertTrue(Files.notExists(old));
      log.println("x");
      assertEquals(2, Files.size(file), "the first line that does not fit starts a new file");
      assertEquals(100, Files.size(old));
      for (int i = 0; i < 1000; i++) log.println("line " + (char) ('a' + i % 26) + (char) ('a' + i / 26 % 26));
      assertTrue(Files.size(file) <= 100 && Files.size(old) <= 100);
    }
  }
}
