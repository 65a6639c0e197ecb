package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunningProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void awaitsLinesInOrderAndKeepsThoseItPassed() throws Exception {
    try (RunningProcess p = RunningProcess.start(
        new ProcessBuilder("bash", "-c", "echo one; echo two >&2; echo three; sleep 30"))) {
      assertEquals("three", p.awaitLineContaining("thr", WAIT));
      assertEquals(List.of("one", "two", "three"), p.seen());
    }
  }

  @Test
  void claimingFindsEachLineOnceWhereverItIs() throws Exception {
    List<String> echoed = new java.util.concurrent.CopyOnWriteArrayList<>();
    RunningProcess.Echo echo = new RunningProcess.Echo() {
      @Override
      public void printed(String line) {
        echoed.add("| " + line);
      }

      @Override
      public void typed(String line) {
        echoed.add("> " + line);
      }
    };
    try (RunningProcess p = RunningProcess.start(new ProcessBuilder("bash", "-c",
        "echo bob joined; echo carol joined; read x; echo got $x; sleep 30"), echo)) {
      assertEquals("carol joined", p.claimLine(line -> line.contains("carol"), WAIT));
      assertEquals("bob joined", p.claimLine(line -> line.contains("joined"), WAIT), "passed over, not lost");
      p.writeLine("it");
      assertEquals("got it", p.claimLine(line -> line.contains("joined") || line.startsWith("got"), WAIT));
      assertEquals(List.of("| bob joined", "| carol joined", "> it", "| got it"), echoed);
    }
  }

  @Test
  void signalsReachTheProgramAndItsExitStatusIsKnown() throws Exception {
    try (RunningProcess p = RunningProcess.start(new ProcessBuilder("bash", "-c",
        "trap 'exit 7' TERM; echo ready; while true; do sleep 0.1; done"))) {
      p.awaitLineContaining("ready", WAIT);
      p.signal("TERM");
      assertEquals(7, p.awaitExit(WAIT));
    }
  }

  @Test
  void typedLinesReachTheProgram() throws Exception {
    try (RunningProcess p = RunningProcess.start(new ProcessBuilder("cat"))) {
      p.writeLine("hello there");
      assertEquals("hello there", p.awaitLine(line -> line.startsWith("hello"), WAIT));
    }
  }

  @Test
  void aLineThatNeverComesFailsAfterTheTimeoutQuotingTheOutput() throws Exception {
    try (RunningProcess p = RunningProcess.start(
        new ProcessBuilder("bash", "-c", "echo waiting; sleep 30"))) {
      long started = System.nanoTime();
      AssertionError e = assertThrows(AssertionError.class,
          () -> p.awaitLineContaining("ready", Duration.ofMillis(300)));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(millis >= 300 && millis < 5_000, millis + " ms");
      assertTrue(e.getMessage().contains("[waiting]"), e.getMessage());
    }
  }

  @Test
  void outputEndingFailsAtOnceWithTheExitStatus() throws Exception {
    try (RunningProcess p = RunningProcess.start(
        new ProcessBuilder("bash", "-c", "echo bye; exit 3"))) {
      p.process().waitFor();
      AssertionError e = assertThrows(AssertionError.class,
          () -> p.awaitLineContaining("ready", WAIT));
      assertTrue(e.getMessage().contains("exit status 3") && e.getMessage().contains("bye"),
          e.getMessage());
      // Asking again still reports the end rather than waiting.
      assertThrows(AssertionError.class, () -> p.awaitLineContaining("ready", WAIT));
    }
  }

  @Test
  void closeKillsTheProgramAndItsChildren() throws Exception {
    RunningProcess p = RunningProcess.start(
        new ProcessBuilder("bash", "-c", "sleep 60 & echo child $!; wait"));
    long child = Long.parseLong(p.awaitLineContaining("child", WAIT).split(" ")[1]);
    p.close();
    assertFalse(p.process().isAlive());
    assertFalse(ProcessHandle.of(child).map(CommandRunner::running).orElse(false));
  }
}
