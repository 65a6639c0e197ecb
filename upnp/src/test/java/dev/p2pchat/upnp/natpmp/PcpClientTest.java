package dev.p2pchat.upnp.natpmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.upnp.Protocol;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PcpClientTest {
  private static final Retransmission FAST =
      new Retransmission(Duration.ofMillis(20), Duration.ofSeconds(1), true);

  private final FakePortControlServer fake = new FakePortControlServer();
  /** Sends once within a test's time, however loaded the machine: requests are counted. */
  private final PcpClient client = new PcpClient(fake.address()).retransmission(
      new Retransmission(Duration.ofSeconds(2), Duration.ofSeconds(2), false));
  /** For the tests of retransmission. */
  private final PcpClient fastClient = client.retransmission(FAST);

  PcpClientTest() throws Exception {}

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void announceGivesTheEpoch() throws Exception {
    long epoch = client.epoch();
    assertTrue(epoch >= 1000 && epoch < 1010, "epoch " + epoch);
    byte[] request = fake.requests().get(0);
    assertEquals(24, request.length);
    assertEquals(2, request[0]);
    assertEquals(0, request[1]); // ANNOUNCE
  }

  @Test
  void mapsTcpAsTheRfcSpellsIt() throws Exception {
    MapAnswer answer = client.map(Protocol.TCP, 4000, 4001, 7200);
    assertEquals(new MapAnswer(answer.epochSeconds(), InetAddress.getByName("5.6.7.1"), 4001, 7200),
        answer);
    ByteBuffer expected = ByteBuffer.allocate(60).put((byte) 2).put((byte) 1).putShort((short) 0)
        .putInt(7200)
        .put(new byte[10]).put((byte) 0xff).put((byte) 0xff).put(new byte[] {127, 0, 0, 1})
        .put(client.nonce()).put((byte) 6).put(new byte[3])
        .putShort((short) 4000).putShort((short) 4001)
        .put(new byte[10]).put((byte) 0xff).put((byte) 0xff).put(new byte[4]);
    assertArrayEquals(expected.array(), fake.requests().get(0));
  }

  @Test
  void eachClientHasItsOwnNonceAndKeepsItWhenReconfigured() {
    PcpClient other = new PcpClient(fake.address());
    assertTrue(!Arrays.equals(client.nonce(), other.nonce()));
    assertArrayEquals(client.nonce(), client.timeout(Duration.ofSeconds(1)).nonce());
  }

  @Test
  void anAnswerWithAnotherNonceIsIgnored() throws Exception {
    fake.wrongNonceNext(1); // the wrong one arrives first
    MapAnswer answer = client.map(Protocol.TCP, 4000, 4000, 7200);
    assertEquals(4000, answer.externalPort());
    assertEquals(1, fake.requests().size(), "the right answer came to the first request");
  }

  @Test
  void onlyAnswersWithAnotherNonceMeanNoAnswer() throws Exception {
    try (DatagramSocket liar = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] forged = ByteBuffer.allocate(60).put((byte) 2).put((byte) 0x81).put((byte) 0)
          .put((byte) 0).putInt(7200).putInt(5).put(new byte[12])
          .put(new byte[12]).put((byte) 6).put(new byte[3]).putShort((short) 4000)
          .putShort((short) 4000).put(new byte[16]).array();
      Thread t = new Thread(() -> NatPmpClientTest.answerWith(liar, new byte[][] {forged}));
      t.start();
      NoAnswerException e = assertThrows(NoAnswerException.class, () ->
          new PcpClient((InetSocketAddress) liar.getLocalSocketAddress()).retransmission(FAST)
              .timeout(Duration.ofMillis(200)).map(Protocol.TCP, 4000, 4000, 60));
      assertTrue(e.getMessage().endsWith("1 unusable answers ignored)"), e.getMessage());
      t.join();
    }
  }

  @Test
  void deleteUsesTheSameNonceAndLifetimeZero() throws Exception {
    client.map(Protocol.TCP, 4000, 4000, 7200);
    client.delete(Protocol.TCP, 4000);
    byte[] delete = fake.requests().get(1);
    assertEquals(0, ByteBuffer.wrap(delete).getInt(4));
    assertArrayEquals(client.nonce(), Arrays.copyOfRange(delete, 24, 36));
    assertEquals(List.of(), fake.held());
  }

  @ParameterizedTest
  @EnumSource(value = PcpResultCode.class, names = {"SUCCESS", "UNKNOWN"},
      mode = EnumSource.Mode.EXCLUDE)
  void everyResultCodeIsATypedErrorWithAMessageForPeople(PcpResultCode code) {
    fake.pcpResult(code.code(), 120);
    PcpException e = assertThrows(PcpException.class,
        () -> client.map(Protocol.TCP, 4000, 4000, 7200));
    assertEquals(code, e.resultCode());
    assertEquals(code.code(), e.rawCode());
    assertEquals(120, e.lifetimeSeconds());
    assertEquals("router at " + UdpExchange.where(fake.address()) + " refused the PCP request: "
        + code.meaning() + " (" + code.name() + ", result code " + code.code() + ")",
        e.getMessage());
    assertEquals(1, fake.requests().size(), "a refusal is final, not retransmitted");
  }

  @Test
  void anUnknownResultCodeIsStillAnError() {
    fake.pcpResult(200, 0);
    PcpException e = assertThrows(PcpException.class, () -> client.epoch());
    assertEquals(PcpResultCode.UNKNOWN, e.resultCode());
    assertEquals(200, e.rawCode());
  }

  @Test
  void addressMismatchExplainsTheNatInBetween() {
    fake.pcpResult(12, 0);
    PcpException e = assertThrows(PcpException.class,
        () -> client.map(Protocol.TCP, 4000, 4000, 7200));
    assertTrue(e.getMessage().contains("there is another NAT between this host and the router"
        + " (ADDRESS_MISMATCH, result code 12)"), e.getMessage());
  }

  @Test
  void aNatPmpOnlyRouterIsUnsupportedVersion() {
    fake.pcp(false);
    PcpException e = assertThrows(PcpException.class, () -> client.epoch());
    assertEquals(PcpResultCode.UNSUPP_VERSION, e.resultCode());
  }

  @Test
  void aLostRequestIsSentAgain() throws Exception {
    fake.dropNext(1);
    assertEquals(4000, fastClient.map(Protocol.TCP, 4000, 4000, 60).externalPort());
    List<byte[]> requests = fake.requests();
    assertEquals(2, requests.size());
    assertArrayEquals(requests.get(0), requests.get(1), "the same request, nonce and all");
  }

  @Test
  void silenceEndsAtTheTimeout() {
    fake.silent(true);
    NoAnswerException e = assertThrows(NoAnswerException.class,
        () -> fastClient.timeout(Duration.ofMillis(150)).epoch());
    assertTrue(e.getMessage().startsWith("no PCP answer from "), e.getMessage());
    assertTrue(fake.requests().size() >= 3, "retransmitted: " + fake.requests().size());
  }
}
