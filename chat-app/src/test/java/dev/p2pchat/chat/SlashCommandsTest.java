package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.PeerJoined;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.TestNode;
import dev.p2pchat.protocol.Limits;
import java.util.List;
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
    alice.view().awaitLine("Connecting to 127.0.0.1:" + bob.node().port() + " (from the pasted address)…");
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
  }

  @Test
  void pastingTheShareLineAFriendSentDialsItNeverSendsIt() throws Exception {
    TestNode carol = TestNode.start("carol");
    try {
      alice.connect(carol); // someone to send chat to, were the line taken for chat
      assertTrue(commands.handle("Share this address: 127.0.0.1:" + bob.node().port()));
      alice.view().awaitLine("Connecting to 127.0.0.1:" + bob.node().port() + " (from the pasted share line)…");
      alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
      Thread.sleep(200);
      assertTrue(carol.view().all(Chat.class).isEmpty(), carol.view().lines()::toString);
      assertTrue(alice.view().all(Chat.class).isEmpty(), alice.view().lines()::toString);
    } finally {
      carol.close();
    }
  }

  @Test
  void everyFormPastedAddressKnowsDials() throws Exception {
    int port = bob.node().port();
    assertTrue(commands.handle("127.0.0.1 " + port));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    // Once connected, each further paste reaches the same dialling code, which says so.
    List<String> more = List.of("<127.0.0.1:" + port + ">.", "(127.0.0.1:" + port + "),",
        "14:02 Share this address: 127.0.0.1:" + port, "LAN address: 127.0.0.1:" + port, "'127.0.0.1:" + port + "'!");
    for (String pasted : more) assertTrue(commands.handle(pasted));
    String already = "already connected to bob at 127.0.0.1:" + port;
    assertEquals(more.size(), alice.view().lines().stream().filter(already::equals).count(), alice.view().lines()::toString);
    assertTrue(alice.view().all(Chat.class).isEmpty(), alice.view().lines()::toString);
    assertTrue(alice.view().lines().stream().noneMatch(l -> l.startsWith("! nobody to send to")), alice.view().lines()::toString);
  }

  @Test
  void aShareLineWithAFingerprintDialsItsAddressLikeConnect() throws Exception {
    String token = "127.0.0.1:" + bob.node().port() + "#" + bob.node().fingerprint();
    assertTrue(commands.handle("Share this address: " + token));
    alice.view().awaitLine("Connecting to 127.0.0.1:" + bob.node().port() + " (from the pasted share line)…");
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    commands.handle("/connect " + token);
    alice.view().awaitLine("already connected to bob at 127.0.0.1:" + bob.node().port());
  }

  @Test
  void aLineThatOnlyLooksLikeAnAddressIsSent() throws Exception {
    alice.connect(bob);
    for (String chat : List.of("note:1", "meet at 10:30", "see 1.2.3.4:80 for details")) {
      assertTrue(commands.handle(chat));
      bob.view().await(Chat.class, c -> c.message().equals(chat));
    }
  }

  @Test
  void aLongLineArrivesInOrderInSeveralLinesAndNothingIsLost() throws Exception {
    alice.connect(bob);
    String text = words(3 * Limits.MAX_TEXT_LENGTH - 100);
    assertTrue(commands.handle(text));
    alice.view().awaitLine("(sent as 3 lines, each at most 4096 characters)");
    List<String> got = awaitChats(bob, 3);
    assertEquals(text, String.join(" ", got));
    assertTrue(got.stream().allMatch(t -> t.length() <= Limits.MAX_TEXT_LENGTH));

    commands.handle("/msg bob " + text);
    List<String> direct = awaitChats(bob, 6).subList(3, 6);
    assertEquals(text, String.join(" ", direct));
    assertTrue(bob.view().all(Chat.class).subList(3, 6).stream().allMatch(c -> "bob".equals(c.to())));
  }

  @Test
  void aTextTooLongForEvenManyLinesIsRefusedWithAMessage() throws Exception {
    alice.connect(bob);
    commands.handle("x".repeat(SlashCommands.MAX_PARTS * Limits.MAX_TEXT_LENGTH + 1));
    alice.view().awaitLine("! not sent: " + (SlashCommands.MAX_PARTS * Limits.MAX_TEXT_LENGTH + 1)
        + " characters are more than 32 lines of 4096 hold; send it in smaller pieces");
    Thread.sleep(200);
    assertTrue(bob.view().all(Chat.class).isEmpty());
  }

  @Test
  void aNickWithSpacesIsRefusedNotCut() throws Exception {
    commands.handle("/nick al ice");
    alice.view().awaitLine("! a nickname cannot contain spaces: \"al ice\" (try al_ice)");
    assertEquals("alice", alice.node().nick());
    commands.handle("/nick  alicia ");
    alice.view().awaitLine("you are now known as alicia");
  }

  /** Words of 1 to 9 letters, {@code length} characters in all. */
  private static String words(int length) {
    java.util.Random random = new java.util.Random(17);
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      if (b.length() > 0) b.append(' ');
      b.append("abcdefghi", 0, 1 + random.nextInt(9));
    }
    return b.substring(0, length).strip();
  }

  /** The texts of the first {@code n} chat lines {@code node} receives, in the order they came. */
  private static List<String> awaitChats(TestNode node, int n) throws InterruptedException {
    node.view().await(Chat.class, c -> node.view().all(Chat.class).size() >= n);
    return node.view().all(Chat.class).stream().limit(n).map(Chat::message).toList();
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
    alice.view().awaitLine("port forwarding: off (--no-port-mapping)");
    alice.view().awaitLine("LAN address (peers outside it cannot dial it): 127.0.0.1:" + alice.node().port());
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
