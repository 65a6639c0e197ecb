package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat node's jline interface in a real terminal (tmux): how it ends. The node runs with
 * {@code --no-upnp} and nobody to dial, so it sends nothing; its home is a temporary directory.
 */
class TerminalKeysIT {
  private static final Duration QUIT = Duration.ofSeconds(10);
  /** A foreground colour in an SGR sequence as tmux writes it (30-37, 38;5;N, 90-97). */
  private static final Pattern COLOUR = Pattern.compile("\u001b\\[(?:[0-9]+;)*(?:3[0-8]|9[0-7])[;m]");

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
   * Ctrl-C as in a shell: it clears a half-typed line (kept in the history: Up brings it back);
   * on an empty line it asks, and a second Ctrl-C quits.
   */
  @Test
  void ctrlCClearsTheLineThenAsksThenQuits() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      node.type("half typed");
      node.awaitScreen("alice> half typed");
      node.press("C-c");
      node.awaitScreen("(line cleared; Up brings it back)");
      assertTrue(node.screen().lines().anyMatch(l -> l.equals("alice>")), "the line is cleared: " + node.screen());
      node.press("Up");
      node.awaitScreen("alice> half typed");
      node.press("C-c");
      node.awaitScreen(s -> s.endsWith("\nalice>"), "an empty prompt");
      node.press("C-c");
      node.awaitScreen("press Ctrl-C again or type /quit to leave");
      assertTrue(node.exitStatus().isEmpty(), "one Ctrl-C on an empty line does not quit: " + node.screen());
      node.press("C-c");
      assertEquals(0, node.awaitExit(QUIT));
      assertTrue(node.screen().lines().anyMatch(l -> l.endsWith(" bye")), node.screen());
    }
    assertTrue(Files.readString(home.resolve(".p2p-chat/history")).contains("half typed"), "kept in the history");
  }

  /**
   * Two Ctrl-C in quick succession quit cleanly: the node is closed, so peers get their bye.
   */
  @Test
  void twoQuickCtrlCQuit() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      node.press("C-c");
      Thread.sleep(100); // as quick as a person; two at once would be one signal
      node.press("C-c");
      assertEquals(0, node.awaitExit(QUIT));
    }
    assertTrue(Files.readString(home.resolve("node.log")).contains("closing node"), "the node was closed");
  }

  /**
   * Ctrl-C while the node is still starting (here: waiting 3 s for a router that never answers)
   * asks too, and a second one quits cleanly rather than killing the JVM.
   */
  @Test
  void ctrlCWhileStartingUp() throws Exception {
    try (ServerSocket silentRouter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Tmux node = Tmux.startNodeWithGateway(home, "alice",
            URI.create("http://127.0.0.1:" + silentRouter.getLocalPort() + "/rootDesc.xml"))) {
      node.awaitScreen("Asking the router at");
      node.press("C-c");
      node.awaitScreen("press Ctrl-C again or type /quit to leave");
      assertFalse(node.screen().contains("alice>"), "still starting: " + node.screen());
      node.press("C-c");
      assertEquals(0, node.awaitExit(QUIT));
    }
    assertTrue(Files.readString(home.resolve("node.log")).contains("closing node"), "the node was closed");
  }

  /** A second Ctrl-C long after the first asks again rather than quitting. */
  @Test
  void aLateSecondCtrlCAsksAgain() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      node.press("C-c");
      node.awaitScreen("press Ctrl-C again");
      Thread.sleep(TerminalUi.CTRL_C_AGAIN.toMillis() + 500);
      node.press("C-c");
      node.awaitScreen(s -> s.split("press Ctrl-C again", -1).length == 3, "the question twice");
      assertTrue(node.exitStatus().isEmpty(), node.screen());
    }
  }

  /** SIGTERM (kill, a logout) quits cleanly from the terminal interface too: the node is closed. */
  @Test
  void sigtermQuits() throws Exception {
    try (Tmux node = aliceAtHerPrompt()) {
      node.type("half typed");
      node.awaitScreen("alice> half typed");
      node.signalProgram("TERM");
      assertEquals(128 + 15, node.awaitExit(QUIT));
    }
    assertTrue(Files.readString(home.resolve("node.log")).contains("closing node"), "the node was closed");
  }

  /** NO_COLOR: the same lines, without colour. */
  @Test
  void noColor() throws Exception {
    try (Tmux node = aliceAtHerPrompt(Map.of())) {
      node.type("/frobnicate");
      node.press("Enter");
      assertTrue(COLOUR.matcher(node.awaitStyledScreen("unknown command")).find(), "a warning is yellow: " + node.styledScreen());
    }
    try (Tmux node = aliceAtHerPrompt(Map.of("NO_COLOR", "1"))) {
      node.type("/frobnicate");
      node.press("Enter");
      String screen = node.awaitStyledScreen("unknown command");
      assertFalse(COLOUR.matcher(screen).find(), screen);
    }
  }

  /** TERM=dumb (an editor's shell buffer): plain mode, one line per event, no prompt to redraw. */
  @Test
  void dumbTerminalGetsPlainMode() throws Exception {
    try (Tmux node = Tmux.startNode(home, "alice", Map.of("TERM", "dumb"))) {
      String screen = node.awaitScreen("Listening on TCP port");
      assertTrue(screen.lines().anyMatch(l -> l.startsWith("Listening on TCP port")),
          "no timestamp, no prompt: " + screen);
      node.type("/quit");
      node.press("Enter");
      assertEquals(0, node.awaitExit(QUIT));
      assertTrue(node.screen().lines().anyMatch(l -> l.equals("bye")), node.screen());
      assertFalse(node.screen().contains("alice>"), node.screen());
    }
  }

  /** --no-timestamps: lines without the time. */
  @Test
  void noTimestamps() throws Exception {
    try (Tmux node = Tmux.startNode(home, "alice", Map.of(), "--no-timestamps")) {
      node.awaitScreen("alice>");
      assertTrue(node.screen().lines().anyMatch(l -> l.startsWith("Listening on TCP port")),
          node.screen());
    }
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
    return aliceAtHerPrompt(Map.of());
  }

  private Tmux aliceAtHerPrompt(Map<String, String> environment) throws Exception {
    Tmux node = Tmux.startNode(home, "alice", environment);
    try {
      node.awaitScreen("alice>");
      return node;
    } catch (Exception | AssertionError e) {
      node.close();
      throw e;
    }
  }
}
