package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself, on a shell script: a real terminal, typed keys, the screen, the exit status, cleanup. */
class TmuxIT {
  @TempDir Path dir;

  @BeforeAll
  static void needTmux() {
    assumeTrue(Tmux.installed() || "true".equalsIgnoreCase(System.getenv("CI")), "tmux is not installed");
  }

  @Test
  void typesReadsTheScreenAndSeesTheExitStatus() throws Exception {
    String script = "stty size; stty -a | grep -o ' icanon'; printf 'term=%s x=%s\\n' \"$TERM\" \"$X\"; read line; echo \"got [$line]\"; exit 3";
    try (Tmux tmux = Tmux.start(dir, 80, 10, Map.of("X", "ümlaut"), List.of("sh", "-c", script))) {
      String screen = tmux.awaitScreen("term=");
      assertTrue(screen.startsWith("10 80\n"), "rows and columns: " + screen);
      assertTrue(screen.contains(" icanon"), "a real terminal, in canonical mode: " + screen);
      assertTrue(screen.contains("term=screen-256color x=ümlaut"), screen);
      assertEquals(OptionalInt.empty(), tmux.exitStatus());
      tmux.type("half");
      tmux.awaitScreen("half");
      tmux.press("C-u"); // the terminal's line kill
      tmux.type("a line");
      tmux.press("Enter");
      assertTrue(tmux.awaitScreen("got [").contains("got [a line]"), tmux.screen());
      assertEquals(3, tmux.awaitExit(Duration.ofSeconds(5)));
    }
    assertTrue(Files.list(dir).findAny().isEmpty(), "nothing left behind in the working directory");
  }

  @Test
  void closeEndsAProgramStillRunning() throws Exception {
    long pid;
    try (Tmux tmux = Tmux.start(dir, 80, 10, Map.of(), List.of("sh", "-c", "echo $$; exec sleep 600"))) {
      pid = Long.parseLong(tmux.awaitScreen(s -> s.matches("\\d+"), "the pid").strip());
    }
    assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the program was ended");
  }

  @Test
  void aSignalGivesTheShellsStatus() throws Exception {
    try (Tmux tmux = Tmux.start(dir, 80, 10, Map.of(), List.of("sh", "-c", "kill -9 $$"))) {
      assertEquals(128 + 9, tmux.awaitExit(Duration.ofSeconds(5)));
    }
  }
}
