package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.NotConfirmed;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatEvent.PeerJoined;
import dev.p2pchat.chat.node.ChatEvent.PeerLeft;
import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.Bye;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.MessageCodec;
import dev.p2pchat.protocol.Ping;
import dev.p2pchat.protocol.Pong;
import dev.p2pchat.protocol.ProtocolVersion;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  private TestNode start(String nick) throws Exception {
    return track(TestNode.start(nick));
  }

  private TestNode start(NodeConfig.Builder config) throws Exception {
    return track(TestNode.start(config));
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  @Test
  void twoNodesShakeHandsAndChatBothWaysWithAcks() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");

    alice.node().connect(bob.address());

    PeerJoined bobSeen = alice.view().await(PeerJoined.class, j -> true);
    assertEquals("bob joined (127.0.0.1:" + bob.node().port() + ")", bobSeen.text());
    PeerJoined aliceSeen = bob.view().await(PeerJoined.class, j -> true);
    assertEquals("alice joined (127.0.0.1:" + alice.node().port() + ")", aliceSeen.text());

    assertEquals(1, alice.node().broadcast("hello bob"));
    assertEquals("<alice> hello bob", bob.view().await(Chat.class, c -> !c.outgoing()).text());
    assertEquals(1, bob.node().broadcast("hi alice"));
    assertEquals("<bob> hi alice", alice.view().await(Chat.class, c -> !c.outgoing()).text());

    awaitAllConfirmed(alice.node());
    awaitAllConfirmed(bob.node());
    Thread.sleep(1200); // past the ack timeout: nothing may be reported unconfirmed
    assertEquals(List.of(), alice.view().all(NotConfirmed.class));
    assertEquals(List.of(), bob.view().all(NotConfirmed.class));
  }

  @Test
  void peersListsNickAddressAndRoundTrip() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.connect(bob);

    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    PeerInfo info;
    do {
      Thread.sleep(50);
      info = alice.node().peers().get(0);
    } while (info.roundTrip().isEmpty() && System.nanoTime() < deadline);
    assertEquals("bob", info.nick());
    assertEquals("127.0.0.1:" + bob.node().port(), info.address());
    assertEquals(bob.node().fingerprint(), info.fingerprint());
    assertTrue(info.dialedByUs());
    assertTrue(info.roundTrip().isPresent(), "no round trip measured after pings");
    assertFalse(bob.node().peers().get(0).dialedByUs());
  }

  @Test
  void aLineGoesToEveryPeerAndADirectMessageOnlyToOne() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    TestNode carol = start("carol");
    alice.connect(bob);
    alice.connect(carol);

    assertEquals(2, alice.node().broadcast("hi all"));
    bob.view().await(Chat.class, c -> c.message().equals("hi all"));
    carol.view().await(Chat.class, c -> c.message().equals("hi all"));

    assertTrue(alice.node().sendTo("bob", "psst"));
    assertEquals("<alice> (private) psst", bob.view().await(Chat.class, c -> c.message().equals("psst")).text());
    assertEquals("<alice> (to bob) psst", alice.view().await(Chat.class, c -> c.message().equals("psst")).text());
    alice.node().sendTo("carol", "after");
    carol.view().await(Chat.class, c -> c.message().equals("after"));
    assertTrue(carol.view().all(Chat.class).stream().noneMatch(c -> c.message().equals("psst")));

    assertFalse(alice.node().sendTo("dave", "anyone?"));
    alice.view().awaitLine("! no peer called dave");
  }

  @Test
  void aDirectMessageForSomeoneElseIsNotShown() throws Exception {
    TestNode alice = start("alice");
    RawPeer mallory = rawPeer(alice, "mallory");
    mallory.send(new ChatMessage("m1", "mallory", "for carol", 1, "carol"));
    mallory.send(new ChatMessage("m2", "mallory", "for you", 2, "alice"));
    assertEquals("<mallory> (private) for you",
        alice.view().await(Chat.class, c -> c.message().equals("for you")).text());
    assertTrue(alice.view().all(Chat.class).stream().noneMatch(c -> c.message().equals("for carol")));
  }

  @Test
  void connectionsInTheirHandshakeAreBoundedPerAddress() throws Exception {
    TestNode alice = start("alice");
    List<RawPeer> silent = new ArrayList<>();
    for (int i = 0; i < Node.MAX_HANDSHAKES_PER_ADDRESS; i++) {
      RawPeer p = track(new RawPeer(alice.node().port()));
      p.expect(Hello.class); // the last one allowed is greeted too
      silent.add(p);
    }
    assertThrows(IOException.class, () -> new RawPeer(alice.node().port()), "the 17th is closed before TLS");

    silent.get(0).send(new Hello(ProtocolVersion.CURRENT, "late", "raw 1", null));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("late"));
    RawPeer.handshaken(track(new RawPeer(alice.node().port())), alice.node(), "next");
    alice.view().await(PeerJoined.class, j -> j.nick().equals("next"));
  }

  @Test
  void aNewcomerIsIntroducedToThePeersAlreadyThere() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    TestNode carol = start("carol");
    alice.connect(bob);
    carol.connect(alice);
    assertTrue(alice.node().accept("carol")); // she dialled alice: a stranger until accepted

    carol.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    bob.view().await(PeerJoined.class, j -> j.nick().equals("carol"));
    carol.node().broadcast("hi both");
    alice.view().await(Chat.class, c -> c.message().equals("hi both"));
    bob.view().await(Chat.class, c -> c.message().equals("hi both"));
    assertTrue(carol.view().lines().stream().noneMatch(l -> l.startsWith("Connecting to 127.0.0.1:"
        + bob.node().port())), "introductions are dialled quietly");
  }

  @Test
  void introductionsToAddressesThatDoNotAnswerAreQuiet() throws Exception {
    TestNode alice = start("alice");
    RawPeer liar = rawPeer(alice, "liar");
    assertTrue(alice.node().accept("liar")); // introductions count only from accepted peers
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    liar.send(new dev.p2pchat.protocol.Peers(List.of(
        "127.0.0.1:" + closedPort + "#" + Identity.generate().fingerprint(),
        "127.0.0.1:" + alice.node().port() + "#" + alice.node().fingerprint())));
    Thread.sleep(500); // refused at once on loopback
    assertTrue(alice.view().lines().stream().noneMatch(l -> l.contains("could not connect")
        || l.contains("Connecting to")), alice.view().lines().toString());
    assertEquals(List.of("liar"), nicks(alice.node()));
    assertEquals(1, alice.node().connectionCount(), "did not dial itself");
  }

  @Test
  void aLineThePeerDoesNotAcknowledgeIsReported() throws Exception {
    TestNode alice = start(TestNode.config("alice").keepalive(Duration.ofSeconds(1), Duration.ofSeconds(20)));
    TestNode bob = start("bob");
    alice.connect(bob);
    RawPeer mallory = rawPeer(alice, "mallory");

    alice.node().broadcast("hi");
    ChatMessage got = mallory.expect(ChatMessage.class);
    assertEquals("hi", got.text());
    assertEquals("alice", got.from());

    NotConfirmed nc = alice.view().await(NotConfirmed.class, n -> true, Duration.ofSeconds(3));
    assertEquals("! not confirmed by mallory: \"hi\"", nc.text());
    Thread.sleep(300);
    assertEquals(1, alice.view().all(NotConfirmed.class).size(), "bob acked, only mallory is reported");

    RawPeer trudy = rawPeer(alice, "trudy");
    alice.node().broadcast("one");
    alice.node().broadcast("two");
    mallory.expect(ChatMessage.class);
    trudy.expect(ChatMessage.class);
    NotConfirmed both = alice.view().await(NotConfirmed.class, n -> n.nicks().size() == 2, Duration.ofSeconds(3));
    assertEquals(List.of("mallory", "trudy"), both.nicks().stream().sorted().toList());
    assertEquals(List.of("one", "two"), both.messages(), "one line for the peers and lines found late at once");

    mallory.send(new Ack(got.id())); // too late: changes nothing
    assertEquals(0, alice.node().unconfirmedCount());
  }

  @Test
  void garbageIsAnsweredWithErrorsAndThreeInARowDropThePeerOnly() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.connect(bob);
    RawPeer mallory = rawPeer(alice, "mallory");

    mallory.sendLine("this is not json");
    mallory.sendLine("{\"type\":\"gossip\"}");
    mallory.sendLine("{\"type\":\"msg\",\"id\":\"1\"}");

    assertEquals("bad-message", mallory.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
    assertEquals("unknown-type", mallory.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
    assertEquals("invalid-field", mallory.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
    assertTrue(mallory.expect(dev.p2pchat.protocol.Bye.class).reason().startsWith("too many bad messages"));
    mallory.awaitEof(Duration.ofSeconds(3));

    PeerLeft left = alice.view().await(PeerLeft.class, l -> l.nick().equals("mallory"));
    assertTrue(left.reason().startsWith("too many bad messages: "), left.reason());

    alice.node().broadcast("still here");
    bob.view().await(Chat.class, c -> c.message().equals("still here"));
    assertEquals(List.of("bob"), nicks(alice.node()));
  }

  @Test
  void aGoodFrameBetweenBadOnesDoesNotWipeTheStrikes() throws Exception {
    TestNode alice = start("alice");
    RawPeer mallory = rawPeer(alice, "mallory");

    for (int i = 0; i < 3; i++) {
      mallory.sendLine("garbage " + i);
      mallory.send(new Ping("t" + i, 1));
    }
    int errors = 0;
    Message m;
    while (!((m = mallory.read()) instanceof dev.p2pchat.protocol.Bye)) {
      if (m instanceof dev.p2pchat.protocol.ErrorMessage) errors++;
    }
    assertEquals(3, errors);
    assertTrue(((dev.p2pchat.protocol.Bye) m).reason().startsWith("too many bad messages"), m.toString());
    alice.view().await(PeerLeft.class, l -> l.nick().equals("mallory"));
  }

  @Test
  void anOversizedFrameIsRefusedAndTheConnectionStaysUsable() throws Exception {
    TestNode alice = start("alice");
    RawPeer mallory = rawPeer(alice, "mallory");

    mallory.sendLine("{\"type\":\"msg\",\"text\":\"" + "x".repeat(70_000) + "\"}");
    assertEquals("frame-too-large", mallory.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
    mallory.send(new ChatMessage("m1", "mallory", "small again", 1, null));
    assertEquals("m1", mallory.expect(Ack.class).id());
    alice.view().await(Chat.class, c -> c.message().equals("small again"));
  }

  @Test
  void aPeerThatNeverSaysHelloIsDroppedAfterTheHandshakeTimeout() throws Exception {
    TestNode alice = start(TestNode.config("alice").handshakeTimeout(Duration.ofSeconds(1)));
    TestNode bob = start("bob");
    alice.connect(bob);
    long start = System.nanoTime();
    RawPeer silent = track(new RawPeer(alice.node().port()));

    silent.expect(dev.p2pchat.protocol.Hello.class);
    assertEquals("no hello within 1 s", silent.expect(dev.p2pchat.protocol.Bye.class).reason());
    silent.awaitEof(Duration.ofSeconds(3));
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(ms >= 900 && ms < 2500, "dropped after " + ms + " ms");

    alice.node().broadcast("unaffected");
    bob.view().await(Chat.class, c -> c.message().equals("unaffected"));
    assertEquals(List.of("bob"), nicks(alice.node()));
  }

  @Test
  void aHelloAfterTheHandshakeTimeoutIsTooLate() throws Exception {
    TestNode alice = start(TestNode.config("alice").handshakeTimeout(Duration.ofMillis(300)));
    RawPeer late = track(new RawPeer(alice.node().port()));
    late.expect(dev.p2pchat.protocol.Hello.class);
    assertEquals("no hello within 300 ms", late.expect(dev.p2pchat.protocol.Bye.class).reason());
    late.send(dev.p2pchat.protocol.Hello.of("late", "raw 1", null)); // inside the bye grace
    late.awaitEof(Duration.ofSeconds(3));
    Thread.sleep(100);
    assertTrue(alice.view().all(PeerJoined.class).isEmpty(), alice.view().lines().toString());
    assertEquals(List.of(), alice.node().peers());
  }

  @Test
  void anythingButHelloFirstIsAProtocolViolation() throws Exception {
    TestNode alice = start("alice");
    RawPeer rude = track(new RawPeer(alice.node().port()));
    rude.expect(dev.p2pchat.protocol.Hello.class);
    rude.send(new ChatMessage("m1", "rude", "hi", 1, null));
    assertEquals("protocol-violation", rude.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
    rude.expect(dev.p2pchat.protocol.Bye.class);
    rude.awaitEof(Duration.ofSeconds(3));
    assertTrue(alice.view().all(PeerJoined.class).isEmpty());
  }

  @Test
  void anotherMajorProtocolVersionIsRefused() throws Exception {
    TestNode alice = start("alice");
    RawPeer future = track(new RawPeer(alice.node().port()));
    future.expect(dev.p2pchat.protocol.Hello.class);
    future.send(new dev.p2pchat.protocol.Hello("3.0", "future", "p2p-chat 9", null));
    assertEquals("unsupported-version", future.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
    future.awaitEof(Duration.ofSeconds(3));
    assertTrue(alice.view().all(PeerJoined.class).isEmpty());
  }

  @Test
  void aPeerWhoseSocketClosesWithoutByeLeaves() throws Exception {
    TestNode alice = start("alice");
    RawPeer mallory = RawPeer.handshaken(alice.node(), "mallory");
    alice.view().await(PeerJoined.class, j -> j.nick().equals("mallory"));
    mallory.close();
    assertEquals("mallory left (connection closed)", alice.view().await(PeerLeft.class, l -> true).text());
    assertEquals(List.of(), alice.node().peers());
  }

  @Test
  void aPeerThatStopsAnsweringIsDeclaredDeadAfterTheConfiguredSilence() throws Exception {
    TestNode alice = start(TestNode.config("alice").keepalive(Duration.ofMillis(100), Duration.ofMillis(500)));
    RawPeer mute = rawPeer(alice, "mute");
    long joined = System.nanoTime();

    PeerLeft left = alice.view().await(PeerLeft.class, l -> true, Duration.ofSeconds(3));
    long ms = Duration.ofNanos(System.nanoTime() - joined).toMillis();
    assertEquals("mute left (no answer for 500 ms)", left.text());
    assertTrue(ms >= 400 && ms < 1500, "declared dead after " + ms + " ms");
  }

  @Test
  void realPeersWithTheSameShortKeepaliveStayConnected() throws Exception {
    TestNode alice = start(TestNode.config("alice").keepalive(Duration.ofMillis(100), Duration.ofMillis(500)));
    TestNode bob = start(TestNode.config("bob").keepalive(Duration.ofMillis(100), Duration.ofMillis(500)));
    alice.connect(bob);
    Thread.sleep(1500);
    assertEquals(List.of(), alice.view().all(PeerLeft.class));
    assertEquals(List.of(), bob.view().all(PeerLeft.class));
  }

  @Test
  void aPeerThatDoesNotReadIsDroppedWhenItsQueueFillsAndOthersKeepGoing() throws Exception {
    TestNode alice = start(TestNode.config("alice").outgoingQueue(16, 1 << 20)
        .keepalive(Duration.ofSeconds(1), Duration.ofSeconds(30)).ackTimeout(Duration.ofSeconds(30)));
    TestNode bob = start("bob");
    alice.connect(bob);
    RawPeer sloth = rawPeer(alice, "sloth");

    String big = "z".repeat(4000);
    for (int i = 0; i < 20_000 && alice.view().all(PeerLeft.class).isEmpty(); i++) {
      alice.node().sendTo("sloth", big);
    }
    PeerLeft left = alice.view().await(PeerLeft.class, l -> true);
    assertEquals("sloth left (too slow: 16 messages waiting to be sent)", left.text());
    alice.node().broadcast("bob still gets this");
    bob.view().await(Chat.class, c -> c.message().equals("bob still gets this"), Duration.ofSeconds(20));
  }

  @Test
  void aPeerThatDoesNotReadIsDroppedWhenItsQueuedBytesPassTheBound() throws Exception {
    TestNode alice = start(TestNode.config("alice").outgoingQueue(1_000_000, 256 * 1024)
        .keepalive(Duration.ofSeconds(1), Duration.ofSeconds(30)).ackTimeout(Duration.ofSeconds(30)));
    RawPeer sloth = track(RawPeer.handshaken(new RawPeer(alice.node().port(), 4096), alice.node(), "sloth"));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("sloth"));

    String big = "z".repeat(4000);
    for (int i = 0; i < 20_000 && alice.view().all(PeerLeft.class).isEmpty(); i++) {
      alice.node().sendTo("sloth", big);
    }
    PeerLeft left = alice.view().await(PeerLeft.class, l -> true);
    assertEquals("sloth left (too slow: more than 256 KiB waiting to be sent)", left.text());
  }

  @Test
  void aPeerThatDoesNotReadNeverMakesBroadcastWait() throws Exception {
    TestNode alice = start(TestNode.config("alice").outgoingQueue(1_000_000, 64 << 20).inboundRate(100_000, 100_000)
        .keepalive(Duration.ofSeconds(1), Duration.ofSeconds(30)).ackTimeout(Duration.ofSeconds(30)));
    TestNode bob = start(TestNode.config("bob").inboundRate(100_000, 100_000)); // 2000 lines and acks at once
    alice.connect(bob);
    RawPeer sloth = track(RawPeer.handshaken(new RawPeer(alice.node().port(), 4096), alice.node(), "sloth"));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("sloth"));

    // 8 MB: more than the sloth's 4 KB receive buffer plus the most the kernel lets alice's send
    // buffer grow to (tcp_wmem: 4 MB), so a send that waited for the socket would wait forever.
    String big = "z".repeat(4000);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (int i = 0; i < 2000; i++) alice.node().broadcast(big);
      alice.node().broadcast("bob still gets this");
    });
    bob.view().await(Chat.class, c -> c.message().equals("bob still gets this"), Duration.ofSeconds(20));
    assertEquals(List.of("bob", "sloth"), nicks(alice.node()).stream().sorted().toList(), "nobody dropped");

    ChatMessage first = sloth.expect(ChatMessage.class); // what waited is still sent, in order
    assertEquals(big, first.text());
  }

  @Test
  void twoHundredPeersJoinAndAllGetABroadcast() throws Exception {
    TestNode hub = start(TestNode.config("hub").keepalive(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    List<RawPeer> peers = new ArrayList<>();
    for (int i = 0; i < 200; i++) peers.add(track(RawPeer.handshaken(hub.node(), "p" + i)));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (hub.node().peers().size() < 200 && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(200, hub.node().peers().size());

    assertEquals(200, hub.node().broadcast("to all"));
    for (RawPeer p : peers) assertEquals("to all", p.expect(ChatMessage.class).text());
    // neither the finished handshakes nor the 200 lines left a task each on the timer
    assertEquals(2, hub.node().timerTasks(), "only the ping and the ack sweep");
  }

  @Test
  void connectionsClosedBeforeTheirHelloLeaveNothingOnTheTimer() throws Exception {
    TestNode alice = start("alice");
    for (int i = 0; i < 20; i++) {
      try (RawPeer quitter = new RawPeer(alice.node().port())) {
        quitter.expect(dev.p2pchat.protocol.Hello.class);
      }
    }
    awaitConnections(alice.node(), 0);
    assertEquals(2, alice.node().timerTasks(), "only the ping and the ack sweep");
  }

  @Test
  void aPeerBeyondMaxPeersIsToldWhyAndTurnedAway() throws Exception {
    TestNode alice = start(TestNode.config("alice").maxPeers(2));
    rawPeer(alice, "one");
    rawPeer(alice, "two");
    RawPeer three = track(RawPeer.handshaken(alice.node(), "three"));
    assertEquals("this node already has 2 peers", three.expect(Bye.class).reason());
    three.awaitEof(Duration.ofSeconds(3));
    assertEquals(List.of("one", "two"), nicks(alice.node()));
  }

  @Test
  void aFloodingPeerIsRateLimitedThenDropped() throws Exception {
    TestNode alice = start(TestNode.config("alice").inboundRate(5, 5));
    RawPeer flood = rawPeer(alice, "flood");
    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0) burst.append('\n');
      burst.append(MessageCodec.encode(new Ping("f" + i, 1)));
    }
    flood.sendLine(burst.toString()); // one write: the node drops it before a second one could fail

    boolean rateLimited = false;
    Message m;
    while (!((m = flood.read()) instanceof dev.p2pchat.protocol.Bye)) {
      if (m instanceof dev.p2pchat.protocol.ErrorMessage) {
        rateLimited |= ((dev.p2pchat.protocol.ErrorMessage) m).code().wireName().equals("rate-limited");
      }
    }
    assertTrue(rateLimited);
    PeerLeft left = alice.view().await(PeerLeft.class, l -> true);
    assertEquals("flood left (too many bad messages: sending too fast)", left.text());
  }

  @Test
  void nodesThatDialEachOtherAtOnceKeepOneConnection() throws Exception {
    for (int round = 0; round < 8; round++) {
      TestNode a = start("a" + round);
      TestNode b = start("b" + round);
      a.node().connect(b.address());
      b.node().connect(a.address());
      a.view().await(PeerJoined.class, j -> true);
      b.view().await(PeerJoined.class, j -> true);

      awaitConnections(a.node(), 1);
      awaitConnections(b.node(), 1);
      Thread.sleep(100);
      assertEquals(1, a.view().all(PeerJoined.class).size());
      assertEquals(1, b.view().all(PeerJoined.class).size());
      assertEquals(List.of(), a.view().all(PeerLeft.class));
      assertEquals(List.of(), b.view().all(PeerLeft.class));
      assertEquals(1, a.node().peers().size());
      assertEquals(1, b.node().peers().size());

      String line = "round " + round;
      a.node().broadcast(line);
      b.view().await(Chat.class, c -> c.message().equals(line) && !c.outgoing());
      b.node().broadcast("back");
      a.view().await(Chat.class, c -> c.message().equals("back") && !c.outgoing());
      awaitAllConfirmed(a.node());
      awaitAllConfirmed(b.node());
      a.close();
      b.close();
    }
  }

  @Test
  void aLineOnAConnectionThePeerClosesAsDuplicateIsResentOnTheOneKept() throws Exception {
    TestNode alice = start("alice");
    Identity bob = Identity.generate();
    RawPeer first = rawPeer(alice, "bob", bob);
    alice.node().broadcast("one connection?");
    // bob's node is closing this connection as a duplicate: it stopped reading, so no ack comes
    ChatMessage stranded = first.expect(ChatMessage.class);
    RawPeer kept = track(RawPeer.handshaken(new RawPeer(alice.node().port(), 0, bob), alice.node(), "bob"));
    first.send(new Bye(Node.DUPLICATE_CONNECTION));

    ChatMessage resent = kept.expect(ChatMessage.class);
    assertEquals(stranded.id(), resent.id());
    assertEquals("one connection?", resent.text());
    kept.send(new Ack(resent.id()));
    awaitAllConfirmed(alice.node());
    Thread.sleep(1200); // past the ack timeout
    assertEquals(List.of(), alice.view().all(NotConfirmed.class));
    assertEquals(1, alice.view().all(PeerJoined.class).size());
    assertEquals(List.of(), alice.view().all(PeerLeft.class));
  }

  @Test
  void eachLineIsAcknowledgedByItsOwnAckInOrder() throws Exception {
    TestNode alice = start("alice");
    RawPeer bob = rawPeer(alice, "bob");
    List<ChatMessage> lines = numberedLines("bob", 40);
    bob.sendAll(lines);
    for (ChatMessage line : lines) assertEquals(line.id(), bob.expect(Ack.class).id());
  }

  @Test
  void linesReadWithTheByeAreStillAcknowledged() throws Exception {
    TestNode alice = start("alice");
    RawPeer bob = rawPeer(alice, "bob");
    List<Message> linesThenBye = new ArrayList<>(numberedLines("bob", 5));
    linesThenBye.add(new Bye("gone"));
    bob.sendAll(linesThenBye);
    List<String> acked = new ArrayList<>();
    for (Message m = bob.read(); m != null; m = bob.read()) {
      if (m instanceof Ack) acked.add(((Ack) m).id());
    }
    assertEquals(List.of("raw-bob:1", "raw-bob:2", "raw-bob:3", "raw-bob:4", "raw-bob:5"), acked);
    alice.view().await(PeerLeft.class, l -> l.reason().equals("gone"));
  }

  @Test
  void aPeerSpeakingProtocol1IsToldWhichVersionThisNodeSpeaks() throws Exception {
    TestNode alice = start("alice");
    RawPeer old = track(new RawPeer(alice.node().port()));
    old.expect(dev.p2pchat.protocol.Hello.class);
    old.send(new dev.p2pchat.protocol.Hello("1.2", "old", "p2p-chat 0.1", null));
    dev.p2pchat.protocol.ErrorMessage error = old.expect(dev.p2pchat.protocol.ErrorMessage.class);
    assertEquals("unsupported-version", error.code().wireName());
    assertEquals("protocol version \"1.2\" is not supported; this node speaks 2.0 (major version 2)", error.reason());
    old.awaitEof(Duration.ofSeconds(3));
    assertTrue(alice.view().all(PeerJoined.class).isEmpty());
  }

  private static List<ChatMessage> numberedLines(String from, int count) {
    List<ChatMessage> lines = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      lines.add(new ChatMessage("raw-" + from + ":" + i, from, "line " + i, System.currentTimeMillis(), null));
    }
    return lines;
  }

  @Test
  void aLineReceivedTwiceIsShownOnceAndAcknowledgedEachTime() throws Exception {
    TestNode alice = start("alice");
    RawPeer bob = rawPeer(alice, "bob");
    ChatMessage line = new ChatMessage("raw-bob:1", "bob", "only once", System.currentTimeMillis(), null);
    bob.send(line);
    assertEquals(line.id(), bob.expect(Ack.class).id());
    bob.send(line);
    assertEquals(line.id(), bob.expect(Ack.class).id());
    bob.send(new ChatMessage("raw-bob:2", "bob", "then this", System.currentTimeMillis(), null));
    alice.view().await(Chat.class, c -> c.message().equals("then this"));
    assertEquals(1, alice.view().all(Chat.class).stream().filter(c -> c.message().equals("only once")).count());
  }

  @Test
  void aLineSentAgainAfterAReconnectIsShownOnce() throws Exception {
    TestNode alice = start("alice");
    Identity bob = Identity.generate();
    RawPeer before = rawPeer(alice, "bob", bob);
    ChatMessage line = new ChatMessage("raw-bob:33", "bob", "only once", System.currentTimeMillis(), null);
    before.send(line);
    assertEquals("raw-bob:33", before.expect(Ack.class).id());
    before.send(new Bye("brb"));
    alice.view().await(PeerLeft.class, l -> l.reason().equals("brb"));
    RawPeer after = rawPeer(alice, "bob", bob);
    after.send(line); // its ack was lost, say
    assertEquals("raw-bob:33", after.expect(Ack.class).id());
    after.send(new ChatMessage("raw-bob:34", "bob", "then this", System.currentTimeMillis(), null));
    alice.view().await(Chat.class, c -> c.message().equals("then this"));
    assertEquals(1, alice.view().all(Chat.class).stream().filter(c -> c.message().equals("only once")).count());
  }

  @Test
  void dialingItselfIsRecognised() throws Exception {
    TestNode alice = start("alice");
    alice.node().connect(alice.address());
    alice.view().awaitLine("could not connect to 127.0.0.1:" + alice.node().port() + ": that is this node's own address");
    assertTrue(alice.view().all(PeerJoined.class).isEmpty());
  }

  @Test
  void dialingOurOwnSharedAddressIsRecognisedWithoutDialing() throws Exception {
    // From inside a home the router's external address usually does not loop back: a dial would
    // be refused. 127.0.0.2 plays that address here, with a port nothing listens on.
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.2"))) {
      closed = s.getLocalPort();
    }
    TestNode alice = track(TestNode.start(TestNode.config("alice").externalPort(closed),
        new FakeForwarding(new InetSocketAddress("127.0.0.2", 0), null)));
    assertEquals("127.0.0.2:" + closed, alice.node().address().orElseThrow());
    alice.node().connect(HostPort.parse("127.0.0.2:" + closed));
    alice.view().awaitLine("! could not connect to 127.0.0.2:" + closed + ": that is this node's own address");
    alice.node().connect(HostPort.parse("127.0.0.1:" + alice.node().port()));
    alice.view().awaitLine("! could not connect to 127.0.0.1:" + alice.node().port() + ": that is this node's own address");
    assertFalse(alice.view().lines().stream().anyMatch(l -> l.contains("refused")), alice.view().lines()::toString);
    assertEquals(0, alice.node().connectionCount(), "nothing was dialled");
  }

  @Test
  void aPeerSwitchingToItsOtherConnectionStaysListedAndGetsWhatIsTypedMeanwhile() throws Exception {
    TestNode alice = start("alice");
    Identity bob = Identity.generate();
    RawPeer first = rawPeer(alice, "bob", bob);
    first.send(new Bye(Node.DUPLICATE_CONNECTION)); // the connection bob keeps is on its way
    awaitConnections(alice.node(), 0);
    assertEquals(List.of("bob"), alice.node().peers().stream().map(PeerInfo::nick).toList());
    assertEquals(1, alice.node().broadcast("in between"));

    RawPeer kept = track(RawPeer.handshaken(new RawPeer(alice.node().port(), 0, bob), alice.node(), "bob"));
    ChatMessage got = kept.expect(ChatMessage.class);
    assertEquals("in between", got.text());
    kept.send(new Ack(got.id()));
    awaitAllConfirmed(alice.node());
    assertEquals(1, alice.node().peers().size());
    assertEquals(1, alice.view().all(PeerJoined.class).size());
    assertEquals(List.of(), alice.view().all(PeerLeft.class));
  }

  @Test
  void whenTheConnectionKeptEndsThePeerHasLeftWithItsReasonThoughADuplicateIsStillOpen() throws Exception {
    TestNode alice = start("alice");
    Identity bob = Identity.generate();
    RawPeer older = rawPeer(alice, "bob", bob);
    RawPeer kept = track(RawPeer.handshaken(new RawPeer(alice.node().port(), 0, bob), alice.node(), "bob"));
    kept.send(new Ping("sync", 1)); // answered once its hello is handled
    Message m;
    do {
      m = kept.read();
    } while (!(m instanceof Pong && ((Pong) m).token().equals("sync")));

    kept.send(new Bye("quit")); // the newer of two both dialled by bob is the one both sides keep
    assertEquals("bob left (quit)", alice.view().await(PeerLeft.class, l -> true).text());
    assertEquals(List.of(), alice.node().peers());
    older.close(); // the duplicate its dialler was closing anyway: no second event
    awaitConnections(alice.node(), 0);
    assertEquals(1, alice.view().all(PeerLeft.class).size(), alice.view().lines()::toString);
  }

  @Test
  void aRefusedConnectionIsReportedWithAHint() throws Exception {
    TestNode alice = start("alice");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    alice.node().connect(HostPort.parse("127.0.0.1:" + port), Optional.empty(), " (from the pasted address)");
    alice.view().awaitLine("Connecting to 127.0.0.1:" + port + " (from the pasted address)…");
    assertEquals("! could not connect to 127.0.0.1:" + port + ": connection refused — "
        + ConnectFailure.REFUSED.hint(), alice.view().awaitLine("! could not connect"));
  }

  @Test
  void aNickChangeReachesPeers() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.connect(bob);
    assertTrue(bob.node().changeNick("robert"));
    alice.view().awaitLine("bob is now known as robert");
    assertTrue(alice.node().sendTo("robert", "hi robert"));
    bob.view().await(Chat.class, c -> c.message().equals("hi robert"));
    assertFalse(bob.node().changeNick("has space"));
    bob.view().awaitLine("nickname contains a space");
  }

  @Test
  void aChangedExternalAddressIsShownAndAnnouncedToPeers() throws Exception {
    FakeForwarding fake = new FakeForwarding(new InetSocketAddress("203.0.113.5", 0), null);
    TestNode bob = track(TestNode.start(TestNode.config("bob"), fake));
    bob.view().awaitLine("Share this address: 203.0.113.5:" + bob.node().port());
    TestNode alice = start("alice");
    alice.connect(bob);
    assertEquals("bob joined (203.0.113.5:" + bob.node().port() + ")",
        alice.view().await(PeerJoined.class, j -> true).text());

    fake.addressChanged.accept(new InetSocketAddress("203.0.113.9", 4000));
    bob.view().awaitLine("Share this address: 203.0.113.9:4000");
    alice.view().awaitLine("bob's address is now 203.0.113.9:4000");
    assertEquals("203.0.113.9:4000", alice.node().peers().get(0).address());
  }

  @Test
  void closingSaysByeToEveryPeerPromptly() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    TestNode carol = start("carol");
    alice.connect(bob);
    alice.connect(carol);
    // alice introduces bob and carol to each other; let that mesh settle so that the close below
    // races no handshake in progress
    bob.view().await(PeerJoined.class, j -> j.nick().equals("carol"));
    carol.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    long start = System.nanoTime();
    alice.close();
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals("alice left (quit)",
        bob.view().await(PeerLeft.class, l -> l.nick().equals("alice")).text());
    assertEquals("alice left (quit)",
        carol.view().await(PeerLeft.class, l -> l.nick().equals("alice")).text());
    assertTrue(ms < 1000, "closing took " + ms + " ms");
  }

  @Test
  void peerTextIsMadePrintable() throws Exception {
    TestNode alice = start("alice");
    RawPeer mallory = track(RawPeer.handshaken(alice.node(), "mallory"));
    mallory.send(new ChatMessage("m1", "mallory", "two\nlines\tand a tab", 1, null));
    Chat shown = alice.view().await(Chat.class, c -> true);
    assertEquals("two\nlines and a tab", shown.message());
    assertEquals("<mallory> two \u21b5 lines and a tab", shown.text());
    assertEquals("m1", mallory.expect(Ack.class).id());
    mallory.sendLine("{\"type\":\"msg\",\"id\":\"m2\",\"from\":\"mallory\",\"text\":\"\\u001b[2J\",\"timestamp\":1}");
    assertEquals("invalid-field", mallory.expect(dev.p2pchat.protocol.ErrorMessage.class).code().wireName());
  }

  @Test
  void aBusyDefaultPortFallsBackButAnExplicitOneFails() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      TestNode flexible = start(TestNode.config("alice").port(port, true));
      flexible.view().awaitLine("! port " + port + " is busy; using " + flexible.node().port() + " instead");
      assertTrue(flexible.node().port() != port);

      Node strict = TestNode.node(TestNode.config("bob").port(port, false).build(), new RecordingView(), PortForwarding.none());
      java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, strict::start);
      assertTrue(e.getMessage().startsWith("cannot listen on port " + port + ": "), e.getMessage());
      strict.close();
    }
  }

  @Test
  void aHostWithAPublicAddressSharesItWithoutARouter() throws Exception {
    PortForwarding noRouter = new FakeForwarding(null, new InetSocketAddress("5.6.7.100", 1).getAddress());
    TestNode server = track(TestNode.start(TestNode.config("server").bindAddress(null), noRouter));
    server.view().awaitLine("This host has a public address: peers can reach it directly.");
    assertEquals("5.6.7.100:" + server.node().port(),
        server.view().await(ChatEvent.ShareAddress.class, a -> true).address());

    TestNode lan = start("alice"); // bound to 127.0.0.1: LAN only
    lan.view().awaitLine("LAN address: 127.0.0.1:" + lan.node().port());
    assertTrue(lan.view().all(ChatEvent.ShareAddress.class).isEmpty());
  }

  /** A raw peer that has completed its handshake with {@code node} and been seen joining. */
  private RawPeer rawPeer(TestNode node, String nick) throws Exception {
    return rawPeer(node, nick, Identity.generate());
  }

  /** The same, with {@code identity}: connections with one identity are one peer's. */
  private RawPeer rawPeer(TestNode node, String nick, Identity identity) throws Exception {
    RawPeer peer = track(RawPeer.handshaken(new RawPeer(node.node().port(), 0, identity), node.node(), nick));
    node.view().await(PeerJoined.class, j -> j.nick().equals(nick));
    return peer;
  }

  private static List<String> nicks(Node node) {
    List<String> nicks = new ArrayList<>();
    node.peers().forEach(p -> nicks.add(p.nick()));
    return nicks;
  }

  private static void awaitAllConfirmed(Node node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (node.unconfirmedCount() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(0, node.unconfirmedCount(), "lines still unconfirmed");
  }

  private static void awaitConnections(Node node, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (node.connectionCount() != expected && System.nanoTime() < deadline) Thread.sleep(10);
    assertEquals(expected, node.connectionCount(), "open connections");
  }
}
