package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.PortForwarding;
import dev.p2pchat.chat.node.TestNode;
import dev.p2pchat.chat.ui.TerminalUi;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jline interface on a virtual xterm: colours, completion, history, quitting. */
class TerminalUiTest {
  @TempDir Path dir;

  @Test
  void chatOnAVirtualTerminal() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    Terminal terminal = TerminalBuilder.builder().system(false).streams(in, screen)
        .type("xterm-256color").size(new Size(100, 24)).encoding(StandardCharsets.UTF_8).build();
    Path history = dir.resolve("history");
    TerminalUi ui = new TerminalUi(terminal, history);

    try (TestNode bob = TestNode.start("bob")) {
      Node alice = TestNode.node(TestNode.config("alice").build(), ui.view(), PortForwarding.none());
      alice.start();
      CompletableFuture<Void> running = CompletableFuture.runAsync(() -> ui.run(new SlashCommands(alice, ui.view())));

      type(keys, "127.0.0.1:" + bob.node().port() + "\r");
      bob.view().await(ChatEvent.PeerJoined.class, j -> j.nick().equals("alice"));
      for (int i = 0; i < 100 && alice.peers().isEmpty(); i++) Thread.sleep(20);
      type(keys, "/ms\tbo\thello bob\r"); // completes the command and the nick
      assertEquals("<alice> (private) hello bob", bob.view().await(Chat.class, c -> true).text());
      bob.node().broadcast("hi alice");
      bob.node().broadcast("first line\nsecond line");
      type(keys, "/quit\r");
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

  private static void type(PipedOutputStream keys, String text) throws Exception {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
    Thread.sleep(300);
  }
}
