package dev.p2pchat.upnp.natpmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.upnp.Protocol;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NatPmpClientTest {
  private static final Retransmission FAST =
      new Retransmission(Duration.ofMillis(20), Duration.ofSeconds(1), false);

  private final FakePortControlServer fake = new FakePortControlServer();
  /** Sends once within a test's time, however loaded the machine: requests are counted. */
  private final NatPmpClient client = new NatPmpClient(fake.address()).retransmission(
      new Retransmission(Duration.ofSeconds(2), Duration.ofSeconds(2), false));
  /** For the tests of retransmission. */
  private final NatPmpClient fastClient = client.retransmission(FAST);

  NatPmpClientTest() throws Exception {}

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void externalAddressAndEpoch() throws Exception {
    NatPmpClient.ExternalAddress answer = client.externalAddress();
    assertEquals(InetAddress.getByName("5.6.7.1"), answer.address());
    assertTrue(answer.epochSeconds() >= 1000 && answer.epochSeconds() < 1010, answer.toString());
    assertArrayEquals(new byte[] {0, 0}, fake.requests().get(0));
  }

  @Test
  void mapsTcpAsTheRfcSpellsIt() throws Exception {
    MapAnswer answer = client.map(Protocol.TCP, 4000, 4001, 7200);
    assertEquals(new MapAnswer(answer.epochSeconds(), InetAddress.getByName("5.6.7.1"), 4001, 7200),
        answer);
    byte[] request = fake.requests().get(1); // after the external address request
    ByteBuffer expected = ByteBuffer.allocate(12).put((byte) 0).put((byte) 2).putShort((short) 0)
        .putShort((short) 4000).putShort((short) 4001).putInt(7200);
    assertArrayEquals(expected.array(), request);
    assertEquals(List.of(new FakePortControlServer.Held("TCP", 4000, 4001, 7200)), fake.held());
  }

  @Test
  void theRouterMayGrantAnotherPortAndAShorterLifetime() throws Exception {
    fake.portOffset(3).maxLifetime(600);
    MapAnswer answer = client.map(Protocol.UDP, 4000, 4000, 7200);
    assertEquals(4003, answer.externalPort());
    assertEquals(600, answer.lifetimeSeconds());
    assertEquals(1, fake.requests().get(1)[1]); // opcode 1: UDP
  }

  @Test
  void deleteSendsLifetimeZeroAndExternalPortZero() throws Exception {
    client.map(Protocol.TCP, 4000, 0, 7200);
    client.delete(Protocol.TCP, 4000);
    List<byte[]> requests = fake.requests();
    ByteBuffer expected = ByteBuffer.allocate(12).put((byte) 0).put((byte) 2).putShort((short) 0)
        .putShort((short) 4000).putShort((short) 0).putInt(0);
    assertArrayEquals(expected.array(), requests.get(requests.size() - 1));
    assertEquals(List.of(), fake.held());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 77})
  void everyResultCodeIsATypedErrorWithAMessageForPeople(int code) {
    fake.natPmpResult(code);
    NatPmpException e = assertThrows(NatPmpException.class,
        () -> client.map(Protocol.TCP, 4000, 4000, 7200));
    assertEquals(code, e.rawCode());
    NatPmpResultCode expected = NatPmpResultCode.of(code);
    assertEquals(code == 77 ? NatPmpResultCode.UNKNOWN : expected, e.resultCode());
    assertEquals("router at " + UdpExchange.where(fake.address()) + " refused the NAT-PMP request: "
        + e.resultCode().meaning() + " (result code " + code + ")", e.getMessage());
    assertEquals(1, fake.requests().size(), "a refusal is final, not retransmitted");
  }

  @Test
  void resultCodesSayWhatTheyMean() {
    assertEquals("the router refused: NAT-PMP mapping is switched off on it, or this host may not"
        + " map that port", NatPmpResultCode.NOT_AUTHORIZED.meaning());
    assertEquals(3, NatPmpResultCode.NETWORK_FAILURE.code());
  }

  @Test
  void aLostRequestIsSentAgainAfterTheFirstWaitThenTwiceAsLong() throws Exception {
    fake.dropNext(2);
    long start = System.nanoTime();
    assertEquals(InetAddress.getByName("5.6.7.1"), fastClient.externalAddress().address());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(3, fake.requests().size());
    assertTrue(tookMs >= 60, "20 ms, then 40 ms before the third send: " + tookMs + " ms");
  }

  @Test
  void silenceEndsAtTheTimeoutWithTheCountOfRequests() throws Exception {
    fake.silent(true);
    NoAnswerException e = assertThrows(NoAnswerException.class,
        () -> fastClient.timeout(Duration.ofMillis(300)).externalAddress());
    // sends at 0, 20, 60, 140 and 300 ms (the last may fall past the deadline)
    int sent = fake.requests().size();
    assertTrue(sent == 4 || sent == 5, "sent " + sent);
    assertEquals("no NAT-PMP answer from " + UdpExchange.where(fake.address()) + " within 300 ms ("
        + sent + " requests)", e.getMessage());
  }

  @Test
  void aClosedPortFailsAtOnce() throws Exception {
    InetSocketAddress closed;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      closed = (InetSocketAddress) s.getLocalSocketAddress();
    }
    long start = System.nanoTime();
    NoAnswerException e = assertThrows(NoAnswerException.class,
        () -> new NatPmpClient(closed).externalAddress());
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "well before the 3 s timeout");
    assertEquals("NAT-PMP is not on at " + UdpExchange.where(closed)
        + " (the router says nothing listens there)", e.getMessage());
  }

  @Test
  void answersThatAreNotOursAreIgnored() throws Exception {
    try (DatagramSocket liar = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> answerWith(liar, new byte[][] {
          {0, (byte) 129, 0, 0, 0, 0, 0, 1, 5, 6, 7, 1}, // the answer to another opcode
          {2, (byte) 128, 0, 0}, // not NAT-PMP
          {0, (byte) 128, 0, 0, 0, 0, 0, 1, 5}, // too short
      }));
      t.start();
      NoAnswerException e = assertThrows(NoAnswerException.class, () ->
          new NatPmpClient((InetSocketAddress) liar.getLocalSocketAddress()).retransmission(FAST)
              .timeout(Duration.ofMillis(200)).externalAddress());
      assertTrue(e.getMessage().endsWith("3 unusable answers ignored)"), e.getMessage());
      t.join();
    }
  }

  /** Answers the first request with each of {@code answers}. */
  static void answerWith(DatagramSocket socket, byte[][] answers) {
    try {
      DatagramPacket in = new DatagramPacket(new byte[1100], 1100);
      socket.receive(in);
      for (byte[] a : answers) socket.send(new DatagramPacket(a, a.length, in.getSocketAddress()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
