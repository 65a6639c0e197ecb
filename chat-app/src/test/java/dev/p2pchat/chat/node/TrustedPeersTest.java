package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatEvent.PeerJoined;
import dev.p2pchat.chat.trust.Fingerprint;
import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.KnownPeers;
import dev.p2pchat.chat.trust.ShareToken;
import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Peers;
import dev.p2pchat.protocol.Ping;
import dev.p2pchat.protocol.Pong;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identities, TLS, pinned fingerprints and trust on first use, node against node. */
class TrustedPeersTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private TestNode start(String nick) throws Exception {
    return track(TestNode.start(nick));
  }

  @Test
  void startUpShowsTheFingerprintAndTheShareLineCarriesIt() throws Exception {
    TestNode alice = start("alice");
    Fingerprint ours = alice.node().fingerprint();
    alice.view().awaitLine("Your fingerprint: " + ours);
    alice.view().awaitLine("LAN address: 127.0.0.1:" + alice.node().port() + "#" + ours);
    assertTrue(alice.node().status().contains("fingerprint: " + ours), alice.node().status()::toString);
  }

  @Test
  void aTokenPinsThePeersKeyAndBothSeeTheOthersFingerprint() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.node().connect(bob.token());
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob"));
    bob.view().await(PeerJoined.class, j -> j.nick().equals("alice"));
    assertEquals(bob.node().fingerprint(), alice.node().peers().get(0).fingerprint());
    assertEquals(alice.node().fingerprint(), bob.node().peers().get(0).fingerprint());
    assertFalse(alice.view().lines().stream().anyMatch(l -> l.contains("new peer")),
        "a pinned key is not new: " + alice.view().lines());
  }

  @Test
  void aPeerDialledWithoutTokenIsTrustedOnFirstUseAndItsFingerprintShown() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.connect(bob);
    alice.view().awaitLine("bob is a new peer, fingerprint " + bob.node().fingerprint()
        + ": compare it with the fingerprint the peer sees for itself");
  }

  @Test
  void aTokenWithAnotherKeyIsRefusedLoudlyAndNothingIsSent() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    Fingerprint expected = Identity.generate().fingerprint();
    alice.node().connect(new ShareToken(bob.address(), expected));
    Notice warning = alice.view().await(Notice.class, n -> n.text().contains("WARNING"));
    assertEquals(ChatEvent.Level.ERROR, warning.level());
    String text = warning.text();
    assertTrue(text.contains("the peer at " + bob.address() + " presented a different key than expected"), text);
    assertTrue(text.contains("expected (the token you pasted): " + expected), text);
    assertTrue(text.contains("presented: " + bob.node().fingerprint()), text);
    assertTrue(text.contains("/trust " + bob.node().fingerprint()), text);
    Thread.sleep(300);
    assertTrue(alice.node().peers().isEmpty());
    assertTrue(bob.view().all(PeerJoined.class).isEmpty(), "bob never saw a hello");
    assertEquals(0, bob.node().connectionCount());
  }

  @Test
  void aRememberedPeerWithANewKeyIsRefusedUntilTheUserTrustsIt() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = TestNode.start("bob");
    HostPort address = bob.address();
    alice.connect(bob);
    bob.close();
    alice.view().await(ChatEvent.PeerLeft.class, l -> l.nick().equals("bob"));

    // Someone else (or bob with a new identity) now listens at bob's address.
    TestNode other = track(TestNode.start(TestNode.config("bob").port(address.port(), false)));
    alice.node().connect(address);
    String warning = alice.view().await(Notice.class, n -> n.text().contains("WARNING")).text();
    assertTrue(warning.contains("expected (remembered for bob at this address since "), warning);
    assertTrue(warning.contains("presented: " + other.node().fingerprint()), warning);
    assertTrue(alice.node().peers().isEmpty());

    assertFalse(alice.node().trust(Optional.of(Identity.generate().fingerprint())), "not the key refused");
    assertTrue(alice.node().trust(Optional.empty()));
    alice.view().awaitLine("trusting " + other.node().fingerprint() + " at " + address);
    alice.view().await(PeerJoined.class, j -> j.nick().equals("bob") && alice.node().peers().size() == 1);
    assertEquals(other.node().fingerprint(), alice.node().peers().get(0).fingerprint());
  }

  @Test
  void knownPeersRememberTheListeningAddressAndNick() throws Exception {
    KnownPeers known = TestNode.knownPeers();
    TestNode alice = track(TestNode.start(TestNode.config("alice"), PortForwarding.none(), Identity.generate(), known));
    TestNode bob = start("bob");
    TestNode carol = start("carol");
    alice.connect(bob);
    carol.connect(alice); // carol dialled alice: a stranger to alice, not remembered
    awaitRemembered(known, bob.node().fingerprint());
    KnownPeers.KnownPeer remembered = known.byFingerprint(bob.node().fingerprint()).orElseThrow();
    assertEquals(Optional.of("bob"), remembered.nick());
    assertEquals(List.of(bob.address()), remembered.addresses());
    Thread.sleep(200);
    assertTrue(known.byFingerprint(carol.node().fingerprint()).isEmpty(), "a stranger is not remembered");
  }

  @Test
  void aPlaintextClientGetsATlsFailureAndChangesNothing() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.connect(bob);
    alice.view().awaitLine("bob is a new peer"); // the last event of the join
    int eventsBefore = alice.view().events().size();
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), alice.node().port())) {
      plain.setSoTimeout(5000);
      plain.getOutputStream().write(("{\"type\":\"hello\",\"protocolVersion\":\"2.0\",\"nick\":\"eve\","
          + "\"appVersion\":\"nc\"}\n").getBytes(StandardCharsets.UTF_8));
      byte[] answer = readAll(plain.getInputStream());
      String text = new String(answer, StandardCharsets.ISO_8859_1);
      assertFalse(text.contains("{") || text.contains("alice"), "no JSON, no nick: " + text);
      assertTrue(answer.length == 0 || answer[0] == 0x15, "a TLS alert record or nothing");
    }
    bob.node().broadcast("still here");
    alice.view().await(Chat.class, c -> c.message().equals("still here"));
    assertEquals(List.of("bob"), alice.node().peers().stream().map(PeerInfo::nick).toList());
    List<ChatEvent> after = alice.view().events().subList(eventsBefore, alice.view().events().size());
    assertEquals(1, after.size(), "only bob's line: " + after);
  }

  @Test
  void aStrangerLearnsNoOtherPeerUntilTheUserAcceptsIt() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    alice.connect(bob);
    RawPeer stranger = track(RawPeer.handshaken(alice.node(), "eve"));
    alice.view().awaitLine("eve dialled you and learns nothing of your other peers until you /accept eve");
    stranger.send(new Ping("sync", 1));
    Message m;
    do {
      m = stranger.read();
      assertFalse(m instanceof Peers, "a stranger was told " + m);
    } while (!(m instanceof Pong));

    assertTrue(alice.node().accept("eve"));
    Peers told = stranger.expectPeers();
    assertEquals(List.of(bob.address() + "#" + bob.node().fingerprint()), told.addresses());
  }

  @Test
  void aPeerAStrangerIntroducesIsAStrangerToo() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    TestNode carol = start("carol");
    alice.connect(bob);
    RawPeer stranger = track(RawPeer.handshaken(alice.node(), "eve"));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("eve"));
    stranger.send(new Peers(List.of(carol.token().toString())));
    carol.view().await(PeerJoined.class, j -> j.nick().equals("alice"));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("carol"));
    Thread.sleep(300);
    assertTrue(carol.view().all(PeerJoined.class).stream().noneMatch(j -> j.nick().equals("bob")),
        "alice told carol, whom a stranger named, where bob is");
  }

  @Test
  void introducedPeersAreDialledAFewAtATimeWithinTheConnectionLimit() throws Exception {
    TestNode alice = track(TestNode.start(TestNode.config("alice").handshakeTimeout(Duration.ofMillis(600))));
    RawPeer friend = track(RawPeer.handshaken(alice.node(), "friend"));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("friend"));
    assertTrue(alice.node().accept("friend"));
    // Listeners that never accept: TCP connects (the kernel's backlog), TLS never answers.
    List<ServerSocket> silent = new ArrayList<>();
    List<String> introduced = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ServerSocket s = track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      silent.add(s);
      introduced.add("127.0.0.1:" + s.getLocalPort() + "#" + Identity.generate().fingerprint());
    }
    friend.send(new Peers(introduced));
    int most = 0;
    long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
    while (System.nanoTime() < end) {
      most = Math.max(most, alice.node().handshakingCount());
      Thread.sleep(5);
    }
    assertTrue(most >= 1 && most <= Node.MAX_INTRODUCED_DIALS, "handshakes at once: " + most);
    assertEquals(List.of("friend"), alice.node().peers().stream().map(PeerInfo::nick).toList());
  }

  @Test
  void twoPeersWithOneNickAreShownWithTheirShortFingerprints() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = start("bob");
    TestNode other = start("bob");
    alice.connect(bob);
    String first = "bob (" + bob.node().fingerprint().shortForm() + ")";
    String second = "bob (" + other.node().fingerprint().shortForm() + ")";
    other.node().connect(alice.address());
    alice.view().awaitLine(second + " joined");
    bob.node().broadcast("from the first");
    other.node().broadcast("from the second");
    alice.view().awaitLine("<" + first + "> from the first");
    alice.view().awaitLine("<" + second + "> from the second");
    List<String> whois = alice.node().whois("bob");
    assertEquals(2, whois.size(), whois::toString);
    assertTrue(whois.stream().anyMatch(l -> l.startsWith(first + ": fingerprint " + bob.node().fingerprint())), whois::toString);
    assertTrue(whois.stream().anyMatch(l -> l.startsWith(second + ": fingerprint " + other.node().fingerprint())), whois::toString);
  }

  @Test
  void ourOwnNickALookAlikeAndAKnownPeersNickAreShownWithFingerprints() throws Exception {
    TestNode alice = start("alice");
    TestNode bob = TestNode.start("bob");
    alice.connect(bob);
    bob.close(); // remembered as a known peer called bob
    alice.view().await(ChatEvent.PeerLeft.class, l -> l.nick().equals("bob"));

    RawPeer twin = track(RawPeer.handshaken(alice.node(), "alice"));
    alice.view().awaitLine("alice (" + twin.identityFingerprint().shortForm() + ") joined");
    RawPeer cyrillic = track(RawPeer.handshaken(alice.node(), "саrоl")); // Cyrillic с, а, о
    alice.view().awaitLine("саrоl (" + cyrillic.identityFingerprint().shortForm() + ") joined");
    RawPeer impostor = track(RawPeer.handshaken(alice.node(), "b\u200dob"));
    alice.view().awaitLine("b\u200dob (" + impostor.identityFingerprint().shortForm() + ") joined");
    RawPeer plain = track(RawPeer.handshaken(alice.node(), "dave"));
    alice.view().awaitLine("dave joined");
  }

  @Test
  void silentHandshakesCountAgainstTheConnectionLimitUntilTheirTimeout() throws Exception {
    // maxPeers 2: room for 2 + 16 connections, handshakes included
    TestNode alice = track(TestNode.start(TestNode.config("alice").maxPeers(2)
        .handshakeTimeout(Duration.ofMillis(800))));
    List<Socket> silent = new ArrayList<>();
    for (int i = 0; i < 18; i++) { // from two addresses, below the bound per address
      InetAddress from = InetAddress.getByName(i % 2 == 0 ? "127.0.0.1" : "127.0.0.2");
      Socket s = track(new Socket(InetAddress.getLoopbackAddress(), alice.node().port(), from, 0));
      silent.add(s);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (alice.node().handshakingCount() < 18 && System.nanoTime() < deadline) Thread.sleep(5);
    assertEquals(18, alice.node().handshakingCount());
    // One more is turned away at once: its TLS handshake finds the socket closed.
    org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> new RawPeer(alice.node().port()).close());
    // Once the silent ones time out, a real peer gets in.
    Thread.sleep(1000);
    assertEquals(0, alice.node().handshakingCount());
    RawPeer late = track(RawPeer.handshaken(alice.node(), "late"));
    alice.view().await(PeerJoined.class, j -> j.nick().equals("late"));
    for (Socket s : silent) assertEquals(-1, s.getInputStream().read(), "closed after the timeout");
  }

  private static byte[] readAll(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) all.write(buffer, 0, n);
    } catch (java.net.SocketException e) {
      // reset by the node: closed as well
    }
    return all.toByteArray();
  }

  private static void awaitRemembered(KnownPeers known, Fingerprint peer) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (known.byFingerprint(peer).isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    assertTrue(known.byFingerprint(peer).isPresent(), "not remembered");
  }
}
