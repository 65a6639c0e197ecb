package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
  @TempDir Path dir;

  @Test
  void eachRunningNodeGetsItsOwnLogAndAFreedOneIsTakenAgain() throws IOException {
    try (LogFile first = LogFile.claim(dir)) {
      assertEquals(dir.resolve("p2p-chat.log"), first.path());
      try (LogFile second = LogFile.claim(dir)) {
        assertEquals(dir.resolve("p2p-chat-2.log"), second.path());
      }
      try (LogFile again = LogFile.claim(dir)) {
        assertEquals(dir.resolve("p2p-chat-2.log"), again.path());
      }
    }
    try (LogFile afterAll = LogFile.claim(dir)) {
      assertEquals(dir.resolve("p2p-chat.log"), afterAll.path());
    }
  }

  @Test
  void aLogFileTheUserNamesIsCheckedInOneLine() throws IOException {
    Path missing = dir.resolve("no/such/dir/chat.log");
    assertEquals(java.util.Optional.of("cannot write " + missing + ": no such directory " + missing.getParent()),
        LogFile.problem(missing));
    assertEquals(java.util.Optional.of("cannot write " + dir + ": is a directory"), LogFile.problem(dir));
    Path fine = dir.resolve("chat.log");
    assertEquals(java.util.Optional.empty(), LogFile.problem(fine));
    assertTrue(Files.exists(fine));
  }

  @Test
  void thePreviousRunsLogIsKept() throws IOException {
    Files.writeString(dir.resolve("p2p-chat.log"), "last run\n");
    Files.writeString(dir.resolve("p2p-chat.log.1"), "the run before\n");
    try (LogFile log = LogFile.claim(dir)) {
      assertFalse(Files.exists(log.path()));
      assertEquals("last run\n", Files.readString(dir.resolve("p2p-chat.log.1")));
    }
  }

  @Test
  void aLogHeldByAnotherProcessIsLeftAlone() throws Exception {
    Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), OtherNode.class.getName(), dir.toString()).start();
    try {
      String said = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine();
      assertEquals("locked " + dir.resolve("p2p-chat.log"), said);
      Files.writeString(dir.resolve("p2p-chat.log"), "the other node's lines\n");
      try (LogFile log = LogFile.claim(dir)) {
        assertEquals(dir.resolve("p2p-chat-2.log"), log.path());
      }
      assertEquals("the other node's lines\n", Files.readString(dir.resolve("p2p-chat.log")));
    } finally {
      other.destroy();
      other.waitFor();
    }
  }

  /** Another node's process: claims a log, says which, and holds it until killed. */
  static final class OtherNode {
    public static void main(String[] args) throws Exception {
      LogFile log = LogFile.claim(Path.of(args[0]));
      System.out.println("locked " + log.path());
      Thread.sleep(30_000);
    }
  }

  @Test
  void whenEveryLogIsHeldItSaysSo() throws IOException {
    List<LogFile> held = new ArrayList<>();
    try {
      for (int i = 0; i < LogFile.MAX_RUNNING; i++) held.add(LogFile.claim(dir));
      IOException e = assertThrows(IOException.class, () -> LogFile.claim(dir));
      assertTrue(e.getMessage().contains("16 nodes are running already"), e.getMessage());
    } finally {
      for (LogFile log : held) log.close();
    }
  }
}
