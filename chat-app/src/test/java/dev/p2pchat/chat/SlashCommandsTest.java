package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.PeerJoined;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlashCommandsTest {
  private TestNode alice;
  private TestNode bob;
  private SlashCommands commands;

  @BeforeEach
  void start() throws Exception {
    alice = TestNode.start("alice");
    bob = TestNode.start("bob");
    commands = new SlashCommands(alice.node(), alice.view());
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
  }

  @Test
  void pastingABareAddressDialsIt() throws Exception {
    assertTrue(commands.handle("  127.0.0.1:" + bob.node().port() + "  "));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
  }

  @Test
  void aLineThatOnlyLooksLikeAnAddressIsSent() throws Exception {
    alice.connect(bob);
    assertTrue(commands.handle("note:1"));
    bob.view().await(Chat.class, c -> c.message().equals("note:1"));
  }

  @Test
  void connectCommand() throws Exception {
    commands.handle("/connect");
    alice.view().awaitLine("! usage: /connect ip:port");
    commands.handle("/connect nowhere");
    alice.view().awaitLine("! address \"nowhere\" has no port");
    commands.handle("/connect 127.0.0.1:" + bob.node().port());
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    commands.handle("/connect 127.0.0.1:" + bob.node().port());
    alice.view().awaitLine("already connected to bob at 127.0.0.1:" + bob.node().port());
  }

  @Test
  void msgSendsToOnePeer() throws Exception {
    alice.connect(bob);
    commands.handle("/msg bob  hi   there ");
    bob.view().awaitLine("<alice> (private) hi   there");
    commands.handle("/msg bob");
    alice.view().awaitLine("! usage: /msg NICK text");
  }

  @Test
  void aPastedBlockStartingWithACommandRunsItThenTheRest() throws Exception {
    assertTrue(commands.handle("/peers\nhello\nanyone?"));
    alice.view().awaitLine("no peers yet");
    alice.view().awaitLine("! nobody to send to yet: /connect ip:port first");
    assertTrue(commands.handle("/help\n/connect 127.0.0.1:" + bob.node().port()));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    assertTrue(commands.handle("/nick al\nfirst line\nsecond line"));
    alice.view().awaitLine("you are now known as al");
    bob.view().await(Chat.class, c -> c.message().equals("first line\nsecond line"));
    assertTrue(commands.handle("/msg bob one\ntwo"));
    bob.view().await(Chat.class, c -> c.message().equals("one\ntwo") && c.to() != null);
    assertFalse(commands.handle("/quit\nlast words"));
    alice.view().awaitLine("! not sent, as it came after /quit: last words");
  }

  @Test
  void typedLinesGoToEveryone() throws Exception {
    commands.handle("anyone?");
    alice.view().awaitLine("! nobody to send to yet: /connect ip:port first");
    alice.connect(bob);
    commands.handle("hello bob");
    bob.view().awaitLine("<alice> hello bob");
    alice.view().awaitLine("<alice> hello bob");
  }

  @Test
  void peersNickStatusHelp() throws Exception {
    commands.handle("/peers");
    alice.view().awaitLine("no peers yet");
    alice.connect(bob);
    commands.handle("/peers");
    String line = alice.view().await(ChatEvent.Notice.class, n -> n.text().startsWith("bob ") && n.text().contains("rtt")).text();
    assertTrue(line.contains(" 127.0.0.1:" + bob.node().port() + " "), line);
    assertTrue(line.endsWith(" " + bob.node().fingerprint()), line);
    assertTrue(line.contains("rtt ") && line.contains("(you dialled)"), line);

    commands.handle("/nick");
    alice.view().awaitLine("you are alice");
    commands.handle("/nick alicia");
    alice.view().awaitLine("you are now known as alicia");
    bob.view().awaitLine("alice is now known as alicia");

    commands.handle("/status");
    alice.view().awaitLine("port forwarding: off (--no-upnp)");
    alice.view().awaitLine("address to share: 127.0.0.1:" + alice.node().port());
    alice.view().awaitLine("nick: alicia");

    commands.handle("/help");
    alice.view().awaitLine("/msg NICK text");
    commands.handle("/frobnicate now");
    alice.view().awaitLine("! unknown command /frobnicate (/help lists them)");
  }

  @Test
  void quit() {
    assertFalse(commands.handle("/quit"));
    assertFalse(commands.handle("/QUIT"));
    assertTrue(commands.handle(""));
  }
}
