package dev.p2pchat.chat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.trust.KnownPeers.KnownPeer;
import dev.p2pchat.protocol.HostPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownPeersTest {
  private static final HostPort HOME = HostPort.parse("5.6.7.1:48083");
  private static final HostPort OFFICE = HostPort.parse("[2001:db8::1]:4000");
  private static final Fingerprint BOB = newKey();
  private static final Fingerprint CAROL = newKey();
  private static final Fingerprint MALLORY = newKey();

  @TempDir Path directory;
  private final TickingClock clock = new TickingClock();

  @Test
  void remembersAcrossRestartsInAnOwnerOnlyFile() throws Exception {
    KnownPeers known = load();
    Instant first = clock.peek();
    known.remember(BOB, Optional.of("bob"), Optional.of(HOME));
    known.remember(BOB, Optional.empty(), Optional.of(OFFICE));

    KnownPeers again = load();

    KnownPeer bob = again.byFingerprint(BOB).orElseThrow();
    assertEquals(Optional.of("bob"), bob.nick());
    assertEquals(List.of(OFFICE, HOME), bob.addresses()); // the latest first
    assertEquals(first, bob.firstSeen());
    assertEquals(first.plusSeconds(1), bob.lastSeen());
    assertEquals(Optional.of(bob), again.byAddress(HOME));
    assertEquals(Optional.empty(), again.byFingerprint(CAROL));
    assertEquals(Optional.empty(), again.loadProblem());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file())));
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(file()), files.toList()); // no temporary file left behind
    }
  }

  @Test
  void anAddressBelongsToThePeerLastSeenThere() throws Exception {
    KnownPeers known = load();
    known.remember(BOB, Optional.of("bob"), Optional.of(HOME));
    known.remember(CAROL, Optional.of("carol"), Optional.of(HOME));

    assertEquals(CAROL, known.byAddress(HOME).orElseThrow().fingerprint());
    assertEquals(List.of(), known.byFingerprint(BOB).orElseThrow().addresses());
  }

  @Test
  void anInvalidNickChangesNothing() throws Exception {
    KnownPeers known = load();
    known.remember(BOB, Optional.of("bob"), Optional.of(HOME));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> known.remember(BOB, Optional.of("b o b"), Optional.of(OFFICE)));

    assertTrue(e.getMessage().startsWith("nickname"), e.getMessage());
    assertEquals(List.of(HOME), known.byFingerprint(BOB).orElseThrow().addresses());
    assertEquals(Optional.of("bob"), load().byFingerprint(BOB).orElseThrow().nick());
  }

  @Test
  void keepsTheLatestAddressesAndTheMostRecentlySeenPeers() throws Exception {
    KnownPeers known = KnownPeers.load(file(), clock, 2);
    for (int port = 5001; port <= 5000 + KnownPeers.MAX_ADDRESSES + 2; port++) {
      known.remember(BOB, Optional.empty(), Optional.of(new HostPort("5.6.7.1", port)));
    }
    known.remember(CAROL, Optional.empty(), Optional.empty());
    known.remember(BOB, Optional.empty(), Optional.empty()); // seen again: carol is older now
    known.remember(MALLORY, Optional.empty(), Optional.empty());

    assertEquals(List.of(MALLORY, BOB), KnownPeers.load(file(), clock, 2).all().stream()
        .map(KnownPeer::fingerprint).toList());
    assertEquals(List.of(5006, 5005, 5004, 5003), known.byFingerprint(BOB).orElseThrow()
        .addresses().stream().map(HostPort::port).toList());
  }

  @Test
  void aCorruptFileIsKeptAsideAndTheNodeStartsEmpty() throws Exception {
    for (String corrupt : new String[] {
        "{\"version\":1,\"peers\":[{\"fingerprint\":\"P56",
        "",
        "garbage",
        "{\"version\":2,\"peers\":[]}",
        "{\"version\":1,\"peers\":[{\"fingerprint\":\"AAAAAAA\",\"addresses\":[],"
            + "\"firstSeen\":\"2026-12-04T17:00:00Z\",\"lastSeen\":\"2026-12-04T17:00:00Z\"}]}",
        "{\"version\":1,\"peers\":[{\"fingerprint\":\"" + BOB + "\",\"addresses\":[\"nowhere\"],"
            + "\"firstSeen\":\"2026-12-04T17:00:00Z\",\"lastSeen\":\"2026-12-04T17:00:00Z\"}]}",
        "{\"version\":1,\"peers\":[{\"fingerprint\":\"" + BOB + "\",\"addresses\":[]}]}",
        "{'version':1,'peers':[]}", // gson's lenient mode would take it; we wrote no such file
    }) {
      Files.writeString(file(), corrupt);

      KnownPeers known = load();

      assertTrue(known.all().isEmpty(), corrupt);
      String problem = known.loadProblem().orElseThrow();
      assertTrue(problem.startsWith(file() + " could not be read ("), problem);
      Path backup = directory.resolve("known-peers.json.corrupt-"
          + clock.peek().minusSeconds(1).toString().replace(':', '-'));
      assertTrue(problem.endsWith("It is kept as " + backup + " and this node starts with no"
          + " known peers: every peer is new to it again, so compare fingerprints again"), problem);
      assertEquals(corrupt, Files.readString(backup));
      assertFalse(Files.exists(file()));
      known.remember(BOB, Optional.of("bob"), Optional.of(HOME));
      assertEquals(Optional.empty(), load().loadProblem());
      Files.delete(file());
    }
  }

  @Test
  void aFileFarTooLargeIsCorrupt() throws Exception {
    Files.write(file(), new byte[(int) KnownPeers.MAX_FILE_BYTES + 1]);

    assertTrue(load().loadProblem().orElseThrow().contains("larger than 4194304 bytes"));
  }

  @Test
  void dialledPeersMustShowTheTokensKeyOrElseTheRememberedOne() throws Exception {
    KnownPeers known = load();
    known.remember(BOB, Optional.of("bob"), Optional.of(HOME));

    PeerVerifier remembered = known.verifierForDialled(HOME, Optional.empty());
    assertEquals(Verdict.Kind.ACCEPT_KNOWN, remembered.verify(BOB).kind());
    Verdict refused = remembered.verify(MALLORY);
    assertEquals(Verdict.Kind.REFUSE_MISMATCH, refused.kind());
    assertEquals(Optional.of(BOB), refused.expected());
    assertTrue(refused.message().contains("expected (remembered for bob at this address since "
        + known.byFingerprint(BOB).orElseThrow().firstSeen() + "): " + BOB), refused.message());

    PeerVerifier pasted = known.verifierForDialled(HOME, Optional.of(CAROL));
    assertEquals(Verdict.Kind.ACCEPT_KNOWN, pasted.verify(CAROL).kind()); // the token wins
    assertTrue(pasted.verify(BOB).message().contains("expected (the token you pasted): " + CAROL));

    PeerVerifier elsewhere = known.verifierForDialled(OFFICE, Optional.empty());
    assertEquals(Verdict.Kind.ACCEPT_KNOWN, elsewhere.verify(BOB).kind()); // bob moved
    assertEquals(Verdict.Kind.ACCEPT_NEW, elsewhere.verify(CAROL).kind());
  }

  @Test
  void acceptedPeersAreKnownByKeyOrNew() throws Exception {
    KnownPeers known = load();
    known.remember(BOB, Optional.of("bob"), Optional.empty());

    assertEquals(Verdict.Kind.ACCEPT_KNOWN, known.verifierForAccepted().verify(BOB).kind());
    Verdict stranger = known.verifierForAccepted().verify(CAROL);
    assertEquals(Verdict.Kind.ACCEPT_NEW, stranger.kind());
    assertTrue(stranger.message().contains(CAROL.toString()), stranger.message());
  }

  @Test
  void trustReplacesTheKeyRememberedAtAnAddressOnPurpose() throws Exception {
    KnownPeers known = load();
    known.remember(BOB, Optional.of("bob"), Optional.of(HOME));
    known.remember(CAROL, Optional.of("carol"), Optional.of(OFFICE));
    assertEquals(Verdict.Kind.REFUSE_MISMATCH,
        known.verifierForDialled(HOME, Optional.empty()).verify(MALLORY).kind());

    assertEquals(List.of(BOB), known.trust(HOME, MALLORY));

    assertEquals(Verdict.Kind.ACCEPT_KNOWN,
        known.verifierForDialled(HOME, Optional.empty()).verify(MALLORY).kind());
    assertEquals(Optional.empty(), load().byFingerprint(BOB));
    assertEquals(Optional.of("bob"), load().byFingerprint(MALLORY).orElseThrow().nick());
    assertEquals(CAROL, load().byAddress(OFFICE).orElseThrow().fingerprint());
    assertEquals(List.of(), known.trust(HOME, MALLORY)); // again: nothing left to replace
    assertEquals(List.of(HOME), known.byFingerprint(MALLORY).orElseThrow().addresses());
  }

  private KnownPeers load() throws IOException {
    return KnownPeers.load(file(), clock);
  }

  private Path file() {
    return directory.resolve("known-peers.json");
  }

  private static Fingerprint newKey() {
    try {
      return Fingerprint.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** A second later at every reading, so that the order of events is the order of times. */
  private static final class TickingClock extends Clock {
    private Instant now = Instant.parse("2026-12-04T17:00:00Z");

    Instant peek() {
      return now;
    }

    @Override
    public Instant instant() {
      Instant current = now;
      now = now.plusSeconds(1);
      return current;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
