package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.ShareToken;
import dev.p2pchat.protocol.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
  @Test
  void networkFailuresAreDescribedInLowerCaseWords() {
    assertEquals("connection reset by peer", Node.describe(new java.net.SocketException("Connection reset")));
    assertEquals("connection reset by peer", Node.describe(new java.io.IOException("Connection reset by peer")));
    assertEquals("connection refused", Node.describe(new java.net.ConnectException("Connection refused")));
    assertEquals("connection refused", Node.describe(new java.net.ConnectException()));
    assertEquals("timed out", Node.describe(new java.net.ConnectException("Connection timed out")));
    assertEquals("no answer in time", Node.describe(new java.net.SocketTimeoutException("Read timed out")));
    assertEquals("broken pipe", Node.describe(new java.io.IOException("Broken pipe")));
    assertEquals("no route to host", Node.describe(new java.net.NoRouteToHostException("No route to host")));
  }
  @Test
  void addressesAreFormattedForPasting() throws Exception {
    assertEquals("5.6.7.1:48083", Addresses.format(InetAddress.getByName("5.6.7.1"), 48083));
    assertEquals("[2001:db8::1]:80", Addresses.format(InetAddress.getByName("2001:db8::1"), 80));
    assertEquals("[::]:1", Addresses.format(InetAddress.getByName("::"), 1));
    assertEquals("[::1]:1", Addresses.format(InetAddress.getByName("::1"), 1));
    assertEquals("[1::]:1", Addresses.format(InetAddress.getByName("1::"), 1));
    assertEquals("[1:0:2::3]:1", Addresses.format(InetAddress.getByName("1:0:2:0:0:0:0:3"), 1));
    assertEquals("[fe80::1]:80", Addresses.format(InetAddress.getByName("fe80::1%1"), 80));
    assertEquals("example.org:1", Addresses.format(InetSocketAddress.createUnresolved("example.org", 1)));
  }

  @Test
  void printableRemovesControlCharacters() {
    String clean = "héllo 👋";
    assertSame(clean, Printable.of(clean));
    assertEquals("a b c", Printable.of("a\nb\tc"));
    assertEquals("a\nb c\n\uFFFD", Printable.lines("a\nb\tc\n\u001b"));
    assertEquals("a b", Printable.lines("a\rb"));
    assertEquals("\uFFFD[2Jx\uFFFD", Printable.of("\u001b[2Jx\u0007"));
  }

  @Test
  void printableShowsBidiControlsAndInvisibleCharactersByTheirCode() {
    assertEquals("abc<U+202E>txt.exe", Printable.of("abc\u202Etxt.exe"));
    assertEquals("<U+202A><U+202D><U+2066><U+2069><U+200E><U+200F><U+061C>",
        Printable.of("\u202A\u202D\u2066\u2069\u200E\u200F\u061C"));
    assertEquals("a<U+200B>b<U+2060>c<U+FEFF>", Printable.lines("a\u200Bb\u2060c\uFEFF"));
    assertEquals("tag<U+E0041>", Printable.of("tag\uDB40\uDC41"), "a format character beyond the BMP");
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
    assertSame(family, Printable.of(family), "emoji keep their joiners");
    assertEquals("\u05D0\u05D1 ok", Printable.of("\u05D0\u05D1 ok"), "right-to-left letters are text, not controls");
  }

  @Test
  void strikesCountWithinTheirWindowOnly() {
    long s = 1_000_000_000L;
    Strikes strikes = new Strikes(3, Duration.ofSeconds(60));
    assertEquals(1, strikes.add(0));
    assertEquals(2, strikes.add(30 * s));
    assertEquals(3, strikes.add(60 * s - 1), "the third within the window reaches the limit");

    Strikes spread = new Strikes(3, Duration.ofSeconds(60));
    spread.add(0);
    spread.add(30 * s);
    assertEquals(2, spread.add(60 * s), "the first has left the window");
    assertEquals(3, spread.add(61 * s));
  }

  @Test
  void handshakeSlotsAreBoundedPerAddressAndInTotal() throws Exception {
    InetAddress a = InetAddress.getByName("10.0.0.1");
    InetAddress b = InetAddress.getByName("10.0.0.2");
    HandshakeSlots slots = new HandshakeSlots(2, 3);
    assertTrue(slots.enter("a:1", a).isEmpty());
    assertTrue(slots.enter("a:2", a).isEmpty(), "the last allowed from one address");
    assertTrue(slots.enter("a:3", a).orElseThrow().contains("2 connections in their handshake from this address"));
    assertTrue(slots.enter("b:1", b).isEmpty(), "the last allowed in total");
    assertTrue(slots.enter("c:1", InetAddress.getByName("10.0.0.3")).orElseThrow().contains("3 connections"));
    slots.leave("a:1");
    slots.leave("a:1"); // once is enough
    assertEquals(2, slots.size());
    assertTrue(slots.enter("a:3", a).isEmpty());
  }

  @Test
  void receivedLinesAreKnownPerSender() {
    ReceivedLines received = new ReceivedLines(4, 16);
    assertTrue(received.add("bob", "1"));
    assertTrue(received.add("carol", "1"), "ids are per sender");
    assertFalse(received.add("bob", "1"));
    assertTrue(received.add("bob", "3"));
    assertTrue(received.add("bob", "2"), "a line that comes late is still new");
    assertFalse(received.add("bob", "2"));
  }

  @Test
  void receivedLinesForgetEachSendersOldestLinesFirst() {
    ReceivedLines received = new ReceivedLines(4, 3);
    for (String id : List.of("1", "2", "3")) assertTrue(received.add("bob", id));
    assertTrue(received.add("carol", "4"), "carol's lines do not push out bob's");
    assertFalse(received.add("bob", "1"));
    assertTrue(received.add("bob", "4")); // forgets bob's 1
    assertTrue(received.add("bob", "1"), "forgotten: taken as new");
    assertFalse(received.add("bob", "4"));
  }

  @Test
  void receivedLinesForgetTheSenderHeardFromLongestAgo() {
    ReceivedLines received = new ReceivedLines(2, 16);
    received.add("bob", "1");
    received.add("carol", "1");
    received.add("bob", "2"); // bob is heard from again
    received.add("dave", "1"); // carol is forgotten, bob is not
    assertFalse(received.add("bob", "1"));
    assertTrue(received.add("carol", "1"));
  }

  @Test
  void tokenBucketAllowsBurstThenRate() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);
    assertTrue(bucket.tryTake(0));
    assertTrue(bucket.tryTake(0));
    assertTrue(bucket.tryTake(0));
    assertFalse(bucket.tryTake(0));
    assertFalse(bucket.tryTake(50_000_000)); // half a token after 50 ms
    assertTrue(bucket.tryTake(100_000_000));
    assertTrue(bucket.tryTake(10_000_000_000L)); // refills only up to the burst
    assertTrue(bucket.tryTake(10_000_000_000L));
    assertTrue(bucket.tryTake(10_000_000_000L));
    assertFalse(bucket.tryTake(10_000_000_000L));
  }

  @Test
  void plainEventLines() {
    ShareToken token = new ShareToken(HostPort.parse("5.6.7.1:48083"), Identity.generate().fingerprint());
    assertEquals("Share this address: 5.6.7.1:48083#" + token.fingerprint(), new ChatEvent.ShareAddress(token).text());
    assertEquals("bob joined (5.6.7.2:48083)", new ChatEvent.PeerJoined("bob", "5.6.7.2:48083").text());
    assertEquals("bob left (quit)", new ChatEvent.PeerLeft("bob", "quit").text());
    assertEquals("<bob> hello", new ChatEvent.Chat("bob", null, "hello", 0, false).text());
    assertEquals("<bob> (private) psst", new ChatEvent.Chat("bob", "alice", "psst", 0, false).text());
    assertEquals("<alice> (to bob) psst", new ChatEvent.Chat("alice", "bob", "psst", 0, true).text());
    assertEquals("! not confirmed by bob: \"hi\"", new ChatEvent.NotConfirmed("bob", "hi").text());
    assertEquals("! not confirmed by a, b, c: \"1\", \"2\", \"3\"",
        new ChatEvent.NotConfirmed(List.of("a", "b", "c"), List.of("1", "2", "3")).text());
    assertEquals("! not confirmed by a, b, c and 2 more: \"1\", \"2\", \"3\" and 1 more lines",
        new ChatEvent.NotConfirmed(List.of("a", "b", "c", "d", "e"), List.of("1", "2", "3", "4")).text());
    assertEquals("✓ found X", ChatEvent.Notice.success("found X").text());
    assertEquals("! careful", ChatEvent.Notice.warning("careful").text());
    assertEquals("✗ broken", ChatEvent.Notice.error("broken").text());
  }
}
