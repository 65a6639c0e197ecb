package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void capturesBothStreamsAndTheExitStatusAndFeedsInput() throws IOException {
    ExecResult result = CommandRunner.run(
        new ProcessBuilder("bash", "-c", "read x; echo out $x; echo err >&2; exit 4"), "in\n",
        WAIT);
    assertEquals(new ExecResult(4, "out in\n", "err\n"), result);
    assertFalse(result.ok());
  }

  @Test
  void aCommandPastItsTimeoutIsKilledWithItsChildren() throws Exception {
    long started = System.nanoTime();
    InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> CommandRunner.run(
        new ProcessBuilder("bash", "-c", "echo $$ > /dev/stderr; sleep 30 & wait"), null,
        Duration.ofMillis(300)));
    assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000);
    assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
    long shell = Long.parseLong(e.getMessage().replaceAll("(?s).*stderr: (\\d+).*", "$1"));
    assertFalse(ProcessHandle.of(shell).map(CommandRunner::running).orElse(false));
  }

  @Test
  void checkTurnsAFailureIntoAnExceptionWithStderr() {
    IOException e = assertThrows(IOException.class,
        () -> CommandRunner.check(List.of("bash", "-c", "echo no such thing >&2; exit 1"), WAIT));
    assertTrue(e.getMessage().contains("exited with 1: no such thing"), e.getMessage());
  }
}
