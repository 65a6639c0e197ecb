package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.LineNumbers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
  /** A line from bob called {@code id}. */
  private static ChatMessage line(String id) {
    return new ChatMessage(id, "bob", "hi", 0, null);
  }

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
  void aChatLineIsMadePrintableLikeAnyText() {
    for (String text : List.of("plain", "tab\there", "two\nlines\tand a tab", "héllo 👋\t", "\t\n\t")) {
      ChatMessage line = new ChatMessage("id", "bob", text, 0, null);
      assertEquals(Printable.lines(text), Printable.lines(line), text);
    }
  }

  @Test
  void recentLinesForgetTheOldestFirst() {
    RecentLines recent = new RecentLines(3);
    assertTrue(recent.add("bob", "1"));
    assertTrue(recent.add("carol", "1"), "ids are per sender");
    assertFalse(recent.add("bob", "1"));
    assertTrue(recent.add("bob", "2"));
    assertTrue(recent.add("bob", "3")); // forgets bob's 1
    assertTrue(recent.add("bob", "1"));
    assertFalse(recent.add("bob", "3"));
  }

  /** Against a LinkedHashMap model, with few distinct lines so that the table is always full. */
  @Test
  void recentLinesAgreeWithAModel() {
    for (int capacity : new int[] {1, 2, 7, 64, 1000}) {
      RecentLines recent = new RecentLines(capacity);
      Map<List<String>, Boolean> model = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, Boolean> eldest) {
          return size() > capacity;
        }
      };
      Random random = new Random(capacity);
      for (int i = 0; i < 100_000; i++) {
        String sender = "node" + random.nextInt(3);
        String id = sender + ":" + random.nextInt(capacity * 2 + 1);
        boolean expected = !model.containsKey(List.of(sender, id));
        if (expected) model.put(List.of(sender, id), Boolean.TRUE);
        assertEquals(expected, recent.add(sender, id), "capacity " + capacity + ", step " + i);
      }
    }
  }

  @Test
  void receivedLinesAreKnownPerSender() {
    ReceivedLines received = new ReceivedLines(4, 16);
    ReceivedLines.Sender bob = received.from("bob");
    assertSame(bob, received.from("bob"));
    assertTrue(bob.add(line("1")));
    assertTrue(received.from("carol").add(line("1")), "ids are per sender");
    assertFalse(bob.add(line("1")));
    assertTrue(bob.add(line("3")));
    assertTrue(bob.add(line("2")), "a line that comes late is still new");
    assertFalse(bob.add(line("2")));
    assertTrue(bob.add(line("raw-bob:1")), "another program's id");
    assertFalse(bob.add(line("raw-bob:1")));
    assertTrue(received.from("carol").add(line("raw-bob:1")));
  }

  @Test
  void receivedLinesForgetNumbersAWindowBehind() {
    ReceivedLines.Sender bob = new ReceivedLines(4, 16).from("bob");
    int window = ReceivedLines.WINDOW;
    assertTrue(bob.add(line(LineNumbers.id(1))));
    assertTrue(bob.add(line(LineNumbers.id(window))));
    assertFalse(bob.add(line(LineNumbers.id(1))), "still in the window");
    assertTrue(bob.add(line(LineNumbers.id(window + 1))));
    assertTrue(bob.add(line(LineNumbers.id(1))), "out of the window: taken as new");
    assertTrue(bob.add(line(LineNumbers.id(1 + 2L * window))), "the bit line 1 used is cleared on the way");
    assertTrue(bob.add(line(LineNumbers.id(1 + window))), "a jump past the window forgets all before it");
    assertTrue(bob.add(line(LineNumbers.id(2 + window))));
    assertFalse(bob.add(line(LineNumbers.id(2 + window))));
  }

  @Test
  void receivedLinesForgetTheSenderConnectedLongestAgo() {
    ReceivedLines received = new ReceivedLines(2, 16);
    ReceivedLines.Sender bob = received.from("bob");
    bob.add(line("1"));
    received.from("carol");
    received.from("bob"); // bob connects again
    received.from("dave"); // carol is forgotten, bob is not
    assertSame(bob, received.from("bob"));
    assertFalse(received.from("bob").add(line("1")));
  }

  /** Against a model of what each number's latest reading should say, numbers near the highest. */
  @Test
  void receivedLinesAgreeWithAModel() {
    int window = ReceivedLines.WINDOW;
    Random random = new Random(7);
    ReceivedLines.Sender bob = new ReceivedLines(4, 16).from("bob");
    Map<Long, Boolean> seen = new java.util.HashMap<>();
    long highest = 0;
    for (int i = 0; i < 200_000; i++) {
      long number = Math.max(1, highest + random.nextInt(2 * window + 64) - 2 * window + 16);
      if (random.nextInt(1000) == 0) number = highest + random.nextInt(3 * window);
      boolean expected = number > highest || highest - number >= window || !seen.containsKey(number);
      seen.put(number, Boolean.TRUE);
      highest = Math.max(highest, number);
      assertEquals(expected, bob.add(line(LineNumbers.id(number))), "step " + i + ", line " + number);
    }
  }

  @Test
  void theCoarseClockIsReadAgainOnceAMillisecondHasPassed() throws Exception {
    CoarseClock clock = new CoarseClock();
    long nanos = System.nanoTime() + 10_000_000; // over a millisecond after its first reading
    long millis = clock.millis(nanos); // read again, at nanos
    assertEquals(millis, clock.millis(nanos + 999_999), "kept for a millisecond");
    Thread.sleep(5);
    long before = System.currentTimeMillis();
    long later = clock.millis(nanos + 1_000_000);
    assertTrue(later >= before, "read again: " + later + " is older than " + before);
    clock = new CoarseClock(); // this one's reading is stamped in the future
    for (int i = 0; i < 200; i++) {
      before = System.currentTimeMillis();
      long now = clock.millis(System.nanoTime());
      long after = System.currentTimeMillis();
      // The reading is at most 1 ms old: it may show the millisecond before this one.
      assertTrue(now >= before - 1 && now <= after, before + " <= " + now + " <= " + after);
      Thread.sleep(0, 200_000);
    }
  }

  @Test
  void owedAcksJoinConsecutiveLineNumbersIntoRuns() {
    OwedAcks owed = new OwedAcks();
    assertNull(owed.take());
    for (String id : List.of("1", "2", "3")) owed.add(line(id));
    assertEquals(new Ack(List.of("1", "2", "3")), owed.take(), "a 1.1 peer gets ids");
    owed.allowRuns();
    for (String id : List.of("1", "2", "3", "raw:1", "5", "7", "8", "3", "v", "10", "11")) owed.add(line(id));
    assertEquals(new Ack(List.of("raw:1", "5", "3"), List.of(new Ack.Run(1, 3), new Ack.Run(7, 8), new Ack.Run(31, 33))),
        owed.take());
    assertNull(owed.take(), "owed no more");
  }

  @Test
  void owedAcksAreFullAtTheMostOneAckNames() {
    OwedAcks owed = new OwedAcks();
    owed.allowRuns();
    int added = 0;
    boolean full = false;
    for (long n = 1; !full; n += 2) { // every other line: no runs
      full = owed.add(line(LineNumbers.id(n)));
      added++;
    }
    assertEquals(Limits.MAX_ACK_IDS, added);
    assertEquals(Limits.MAX_ACK_IDS, owed.take().ids().size());
    for (long n = 1; n <= 100_000; n++) assertFalse(owed.add(line(LineNumbers.id(n))), "a run is one entry");
    assertEquals(List.of(new Ack.Run(1, 100_000)), owed.take().runs());
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
  void durations() {
    assertEquals("600 ms", Durations.human(Duration.ofMillis(600)));
    assertEquals("15 s", Durations.human(Duration.ofSeconds(15)));
    assertEquals("1.5 s", Durations.human(Duration.ofMillis(1500)));
    assertEquals("59 min", Durations.human(Duration.ofMinutes(59).plusSeconds(30)));
    assertEquals("2 h 5 min", Durations.human(Duration.ofMinutes(125)));
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(5), Durations.parse("5s"));
    assertEquals(Duration.ofSeconds(7), Durations.parse("7"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1.5s"));
  }

  @Test
  void plainEventLines() {
    assertEquals("Share this address: 5.6.7.1:48083", new ChatEvent.ShareAddress("5.6.7.1:48083").text());
    assertEquals("bob joined (5.6.7.2:48083)", new ChatEvent.PeerJoined("bob", "5.6.7.2:48083").text());
    assertEquals("bob left (quit)", new ChatEvent.PeerLeft("bob", "quit").text());
    assertEquals("<bob> hello", new ChatEvent.Chat("bob", null, "hello", 0, false).text());
    assertEquals("<bob> (private) psst", new ChatEvent.Chat("bob", "alice", "psst", 0, false).text());
    assertEquals("<alice> (to bob) psst", new ChatEvent.Chat("alice", "bob", "psst", 0, true).text());
    assertEquals("! not confirmed by bob: \"hi\"", new ChatEvent.NotConfirmed("bob", "hi").text());
    assertEquals("✓ found X", ChatEvent.Notice.success("found X").text());
    assertEquals("! careful", ChatEvent.Notice.warning("careful").text());
    assertEquals("✗ broken", ChatEvent.Notice.error("broken").text());
  }
}
