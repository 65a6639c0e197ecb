package dev.p2pchat.upnp.natpmp;

import dev.p2pchat.upnp.Protocol;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A PCP (RFC 6887) client for one mapping on one router: MAP requests for a port, and ANNOUNCE
 * to learn the router's epoch. Each client draws its own random mapping nonce; an answer whose
 * nonce differs is not ours and is ignored, so a device on the LAN that cannot see our request
 * cannot forge the answer. Renewing and deleting a mapping must use the client that made it
 * (the router checks the nonce too). Immutable; each request is one exchange on a fresh socket,
 * retransmitted on {@link Retransmission#PCP}'s schedule until the timeout (3 s unless set).
 */
public final class PcpClient implements MappingClient {
  private static final int VERSION = 2;
  private static final int OP_ANNOUNCE = 0;
  private static final int OP_MAP = 1;
  private static final int RESPONSE = 0x80;
  private static final int HEADER = 24;
  private static final int MAP_PAYLOAD = 36;
  private static final int NONCE_BYTES = 12;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final InetSocketAddress server;
  private final Duration timeout;
  private final Retransmission schedule;
  private final byte[] nonce;

  /** A client of the PCP server at {@code server} (the router's LAN address, port 5351). */
  public PcpClient(InetSocketAddress server) {
    this(server, DEFAULT_TIMEOUT, Retransmission.PCP, newNonce());
  }

  private PcpClient(InetSocketAddress server, Duration timeout, Retransmission schedule,
      byte[] nonce) {
    this.server = Objects.requireNonNull(server, "server");
    this.timeout = timeout;
    this.schedule = schedule;
    this.nonce = nonce;
  }

  private static byte[] newNonce() {
    byte[] n = new byte[NONCE_BYTES];
    RANDOM.nextBytes(n);
    return n;
  }

  /** This client, with the same nonce, and another bound on each exchange. */
  @Override
  public PcpClient timeout(Duration t) {
    if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be > 0: " + t);
    return new PcpClient(server, t, schedule, nonce);
  }

  /** This client (same nonce) with another retransmission schedule (tests use short ones). */
  public PcpClient retransmission(Retransmission r) {
    return new PcpClient(server, timeout, Objects.requireNonNull(r, "retransmission"), nonce);
  }

  @Override
  public InetSocketAddress server() {
    return server;
  }

  /** The mapping nonce this client sends. */
  public byte[] nonce() {
    return nonce.clone();
  }

  /** Sends ANNOUNCE (RFC 6887 14.1) and returns the router's epoch. */
  @Override
  public long epoch() throws IOException {
    return exchange(OP_ANNOUNCE, 0, local -> header(OP_ANNOUNCE, 0, local, 0).array(), HEADER,
        answer -> Integer.toUnsignedLong(answer.getInt(8)));
  }

  @Override
  public MapAnswer map(Protocol protocol, int internalPort, int suggestedExternalPort,
      long lifetimeSeconds) throws IOException {
    if (lifetimeSeconds < 1 || lifetimeSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lifetime must be 1 to 2^32-1 s: " + lifetimeSeconds);
    }
    return mapRequest(protocol, internalPort, suggestedExternalPort, lifetimeSeconds);
  }

  /** Deletes the mapping (RFC 6887 15: MAP with lifetime 0 and the nonce that made it). */
  @Override
  public void delete(Protocol protocol, int internalPort) throws IOException {
    mapRequest(protocol, internalPort, 0, 0);
  }

  private MapAnswer mapRequest(Protocol protocol, int internalPort, int suggestedExternalPort,
      long lifetimeSeconds) throws IOException {
    NatPmpClient.checkPort("internal", internalPort, 1);
    NatPmpClient.checkPort("external", suggestedExternalPort, 0);
    int ipProtocol = protocol == Protocol.TCP ? 6 : 17;
    return exchange(OP_MAP, MAP_PAYLOAD, local -> {
      ByteBuffer request = header(OP_MAP, lifetimeSeconds, local, MAP_PAYLOAD);
      request.put(nonce).put((byte) ipProtocol).put(new byte[3])
          .putShort((short) internalPort).putShort((short) suggestedExternalPort)
          .put(mapped(null)); // no preferred external address
      return request.array();
    }, HEADER + MAP_PAYLOAD, answer -> {
      if (answer.get(HEADER + NONCE_BYTES) != (byte) ipProtocol
          || answer.getShort(HEADER + 16) != (short) internalPort) {
        return null; // another mapping's answer
      }
      byte[] ip = new byte[16];
      answer.position(HEADER + 20);
      answer.get(ip);
      return new MapAnswer(Integer.toUnsignedLong(answer.getInt(8)), InetAddress.getByAddress(ip),
          Short.toUnsignedInt(answer.getShort(HEADER + 18)), Integer.toUnsignedLong(answer.getInt(4)));
    });
  }

  /** The common request header (RFC 6887 7.1), with room for {@code payload} bytes after it. */
  private static ByteBuffer header(int op, long lifetimeSeconds, InetAddress local, int payload) {
    return ByteBuffer.allocate(HEADER + payload)
        .put((byte) VERSION).put((byte) op).putShort((short) 0)
        .putInt((int) lifetimeSeconds)
        .put(mapped(local));
  }

  /** An address as PCP carries it: IPv6, or IPv4-mapped IPv6; null is the IPv4 all-zeros address. */
  private static byte[] mapped(InetAddress address) {
    if (address != null && !(address instanceof Inet4Address)) return address.getAddress();
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xff;
    bytes[11] = (byte) 0xff;
    if (address != null) System.arraycopy(address.getAddress(), 0, bytes, 12, 4);
    return bytes;
  }

  private <T> T exchange(int op, int payload, Function<InetAddress, byte[]> request,
      int length, UdpExchange.Reader<T> success) throws IOException {
    String router = UdpExchange.where(server);
    return UdpExchange.run("PCP", server, timeout, schedule, request, answer -> {
      if (answer.remaining() >= 4 && answer.get(0) == 0
          && Short.toUnsignedInt(answer.getShort(2)) == NatPmpResultCode.UNSUPPORTED_VERSION.code()) {
        // a NAT-PMP-only router (RFC 6887 9)
        throw new PcpException(router, PcpResultCode.UNSUPP_VERSION.code(), 0);
      }
      if (answer.remaining() < HEADER || answer.get(0) != VERSION
          || Byte.toUnsignedInt(answer.get(1)) != (RESPONSE | op)) {
        return null;
      }
      boolean complete = answer.remaining() >= HEADER + payload;
      if (payload > 0 && complete && !Arrays.equals(nonce, 0, NONCE_BYTES,
          answer.array(), answer.arrayOffset() + HEADER, answer.arrayOffset() + HEADER + NONCE_BYTES)) {
        return null; // RFC 6887 11.3: not the answer to our request
      }
      int result = Byte.toUnsignedInt(answer.get(3));
      if (result != 0) {
        throw new PcpException(router, result, Integer.toUnsignedLong(answer.getInt(4)));
      }
      return answer.remaining() < length ? null : success.read(answer);
    });
  }

  @Override
  public String toString() {
    return "PCP at " + UdpExchange.where(server);
  }
}
