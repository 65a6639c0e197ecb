package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.PortForwarding;
import dev.p2pchat.chat.node.TestNode;
import dev.p2pchat.chat.trust.ShareToken;
import dev.p2pchat.chat.ui.Input;
import dev.p2pchat.chat.ui.TerminalPolicy;
import dev.p2pchat.chat.ui.TerminalUi;
import dev.p2pchat.chat.ui.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jline interface on a virtual xterm: colours, completion, history, quitting. */
class TerminalUiTest {
  @TempDir Path dir;

  private static final TerminalPolicy COLOUR = TerminalPolicy.from(Map.of("TERM", "xterm-256color"));
  private static final Clock TWO_PAST_TWO = Clock.fixed(Instant.parse("2026-12-04T14:02:30Z"), ZoneOffset.UTC);

  private PipedOutputStream keys;
  private Terminal terminal;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

  private TerminalUi virtualTerminal(TerminalPolicy policy, Timestamps timestamps) throws Exception {
    keys = new PipedOutputStream();
    terminal = TerminalBuilder.builder().system(false).streams(new PipedInputStream(keys), screen)
        .type("xterm-256color").size(new Size(100, 24)).encoding(StandardCharsets.UTF_8).build();
    return new TerminalUi(terminal, dir.resolve("history"), policy, timestamps);
  }

  @Test
  void chatOnAVirtualTerminal() throws Exception {
    Path history = dir.resolve("history");
    TerminalUi ui = virtualTerminal(COLOUR, Timestamps.shown(Clock.systemDefaultZone()));

    try (TestNode bob = TestNode.start("bob")) {
      Node alice = TestNode.node(TestNode.config("alice").build(), ui.view(), PortForwarding.none());
      alice.start();
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> ui.run(new SlashCommands(alice, ui.view())));

      type("127.0.0.1:" + bob.node().port() + "\r");
      bob.view().await(ChatEvent.PeerJoined.class, j -> j.nick().equals("alice"));
      for (int i = 0; i < 100 && alice.peers().isEmpty(); i++) Thread.sleep(20);
      type("/ms\tbo\thello bob\r"); // completes the command and the nick
      assertEquals("<alice> (private) hello bob", bob.view().await(Chat.class, c -> true).text());
      bob.node().broadcast("hi alice");
      bob.node().broadcast("first line\nsecond line");
      type("/quit\r");
      running.get(5, TimeUnit.SECONDS);
      alice.close();
      ui.close();

      String out = screen.toString(StandardCharsets.UTF_8);
      assertTrue(out.matches("(?s).*\\d\\d:\\d\\d .*Listening on TCP port.*"), "timestamps");
      assertTrue(out.contains("bob\u001b[") && out.contains(" joined (127.0.0.1:" + bob.node().port() + ")"), out);
      assertTrue(out.matches("(?s).*<\u001b\\[[0-9;]*mbob\u001b\\[[0-9;]*m> .*hi alice.*"), "coloured nick: " + out);
      assertTrue(out.contains("alice> "), "prompt");
      assertTrue(out.matches("(?s).*first line\r?\n {12}second line.*"), "second line under the first: " + out);
      assertTrue(Files.readString(history).contains("/msg bob hello bob"), "history kept in the file");
    }
  }

  @Test
  void eachLineStartsWithTheTimeUnlessHidden() throws Exception {
    TerminalUi ui = virtualTerminal(COLOUR, Timestamps.shown(TWO_PAST_TWO));
    ui.show(new Chat("bob", null, "hi", 0, false));
    awaitPlain("14:02 <bob> hi");

    screen.reset();
    TerminalUi hidden = virtualTerminal(COLOUR, Timestamps.hidden());
    hidden.show(new Chat("bob", null, "hi", 0, false));
    awaitPlain("<bob> hi");
    assertTrue(plain().contains("<bob> hi") && !plain().matches("(?s).*\\d\\d:\\d\\d.*"), plain());
  }

  @Test
  void noColourWhenNoColorIsSet() throws Exception {
    TerminalUi ui = virtualTerminal(TerminalPolicy.from(Map.of("TERM", "xterm-256color", "NO_COLOR", "1")), Timestamps.hidden());
    ui.show(new Chat("bob", null, "hi", 0, false));
    ui.show(new ChatEvent.ShareAddress(ShareToken.parse("5.6.7.1:48083#P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2")));
    ui.show(ChatEvent.Notice.warning("careful"));
    awaitPlain("careful");
    String out = screen.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("bob") && out.contains("5.6.7.1:48083") && out.contains("careful"), out.replace("\u001b", "ESC"));
    assertFalse(COLOUR_CODE.matcher(out).find(), "colour codes: " + out.replace("\u001b", "ESC"));
    assertTrue(out.contains("\u001b[1m"), "bold stays");

    screen.reset();
    TerminalUi coloured = virtualTerminal(COLOUR, Timestamps.hidden());
    coloured.show(ChatEvent.Notice.warning("careful"));
    awaitPlain("careful");
    assertTrue(COLOUR_CODE.matcher(screen.toString(StandardCharsets.UTF_8)).find(), "the test sees colours");
  }

  @Test
  void ctrlCClearsTheLineThenAsksThenQuits() throws Exception {
    TerminalUi ui = virtualTerminal(COLOUR, Timestamps.hidden());
    List<String> handled = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> ui.run(new Recorder(handled)));
    awaitPlain("alice> ");
    type("half typed");
    ctrlC();
    awaitPlain("(line cleared; Up brings it back)");
    type("\u001bOA\r"); // Up (in keypad mode), Enter: the cleared line is back
    for (int i = 0; i < 100 && handled.isEmpty(); i++) Thread.sleep(50);
    assertEquals(List.of("half typed"), handled);
    // The next prompt is up: jline handles Ctrl-C again (its handler is set before the prompt is drawn).
    for (int i = 0; i < 100 && !plain().endsWith("alice> "); i++) Thread.sleep(50);

    ctrlC();
    awaitPlain("press Ctrl-C again or type /quit to leave");
    assertFalse(running.isDone(), "one Ctrl-C on an empty line only asks");
    ctrlC();
    running.get(5, TimeUnit.SECONDS);
    assertEquals(List.of("half typed"), handled);
  }

  @Test
  void ctrlDOnAnEmptyLineQuits() throws Exception {
    TerminalUi ui = virtualTerminal(COLOUR, Timestamps.hidden());
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> ui.run(new Recorder(new ArrayList<>())));
    awaitPlain("alice> ");
    type("\u0004");
    running.get(5, TimeUnit.SECONDS);
  }

  /** An input that keeps every line it is handed. */
  private record Recorder(List<String> handled) implements Input {
    @Override
    public boolean handle(String line) {
      handled.add(line);
      return true;
    }

    @Override
    public String prompt() {
      return "alice> ";
    }

    @Override
    public List<String> complete(String word, int wordIndex) {
      return List.of();
    }
  }

  /** Foreground or background colour in an SGR sequence: 30-39, 40-49, 90-97, 100-107. */
  private static final Pattern COLOUR_CODE = Pattern.compile("\u001b\\[(?:[0-9]+;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]+)*m");

  /** The screen's text so far without escape codes. */
  private String plain() {
    return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
  }

  private void awaitPlain(String text) throws InterruptedException {
    for (int i = 0; i < 100 && !plain().contains(text); i++) Thread.sleep(50);
    assertTrue(plain().contains(text), "no \"" + text + "\" in: " + plain());
  }

  /**
   * Ctrl-C as a real terminal delivers it: the kernel turns the key into SIGINT, which jline's
   * handler passes on ({@code TerminalKeysIT} presses the key itself in tmux).
   */
  private void ctrlC() throws InterruptedException {
    terminal.raise(Terminal.Signal.INT);
    Thread.sleep(300);
  }

  private void type(String text) throws Exception {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
    Thread.sleep(300);
  }
}
