package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat node's jline interface in a real terminal (tmux): how it ends. The node runs with
 * {@code --no-upnp} and nobody to dial, so it sends nothing; its home is a temporary directory.
 */
class TerminalKeysIT {
  private static final Duration QUIT = Duration.ofSeconds(10);

  @TempDir Path home;

  @BeforeAll
  static void needTmux() {
    assumeTrue(Tmux.installed() || "true".equalsIgnoreCase(System.getenv("CI")), "tmux is not installed");
  }

  @Test
  void slashQuitEndsTheNode() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      assertTrue(node.screen().contains("Listening on TCP port"), node.screen());
      node.type("/quit");
      node.press("Enter");
      assertEquals(0, node.awaitExit(QUIT));
      assertTrue(node.screen().lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d bye")), node.screen());
    }
    assertTrue(Files.readString(home.resolve(".p2p-chat/history")).contains("/quit"), "the history is in the temporary home");
    assertTrue(Files.readString(home.resolve("node.log")).contains("closing node"), "the log is in the temporary home");
  }

  /**
   * Today Ctrl-C quits at once and the half-typed line is lost: neither sent nor kept in the
   * history. Issue 17 wants it to clear the line instead, and to quit only from an empty line.
   */
  @Test
  void ctrlCTodayQuitsAtOnceAndLosesTheHalfTypedLine() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      node.type("half typed");
      node.awaitScreen("alice> half typed");
      node.press("C-c");
      assertEquals(0, node.awaitExit(QUIT));
      String screen = node.screen();
      assertTrue(screen.lines().anyMatch(l -> l.endsWith(" bye")), screen);
      assertFalse(screen.contains("half typed"), screen);
    }
    assertFalse(Files.readString(home.resolve(".p2p-chat/history")).contains("half typed"));
  }

  /** Ctrl-D on an empty line quits, today and as issue 17 wants. */
  @Test
  void ctrlDOnAnEmptyLineQuits() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      node.press("C-d");
      assertEquals(0, node.awaitExit(QUIT));
      assertTrue(node.screen().lines().anyMatch(l -> l.endsWith(" bye")), node.screen());
    }
  }

  private Tmux aliceAtHerPrompt() throws Exception {
    Tmux node = Tmux.startNode(home, "alice", Map.of());
    try {
      node.awaitScreen("alice>");
      return node;
    } catch (Exception | AssertionError e) {
      node.close();
      throw e;
    }
  }
}
