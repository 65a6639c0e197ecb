package dev.p2pchat.upnp.natpmp;

import dev.p2pchat.upnp.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * A NAT-PMP (RFC 6886) client for one router: its external address and port mappings. Immutable;
 * each request is one exchange on a fresh socket, retransmitted on {@link Retransmission#NAT_PMP}'s
 * schedule until the timeout (3 s unless set).
 *
 * <pre>{@code
 * NatPmpClient pmp = new NatPmpClient(new InetSocketAddress(gateway, NatPmpClient.PORT));
 * MapAnswer m = pmp.map(Protocol.TCP, 4000, 4000, 7200);
 * }</pre>
 */
public final class NatPmpClient implements MappingClient {
  /** The port routers answer NAT-PMP and PCP on. */
  public static final int PORT = 5351;
  private static final int VERSION = 0;
  private static final int OP_EXTERNAL_ADDRESS = 0;
  private static final int OP_MAP_UDP = 1;
  private static final int OP_MAP_TCP = 2;
  private static final int ANSWER = 128;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  /** The router's answer to an external address request. */
  public record ExternalAddress(long epochSeconds, InetAddress address) {}

  private final InetSocketAddress server;
  private final Duration timeout;
  private final Retransmission schedule;

  /** A client of the NAT-PMP server at {@code server} (the router's LAN address, port 5351). */
  public NatPmpClient(InetSocketAddress server) {
    this(server, DEFAULT_TIMEOUT, Retransmission.NAT_PMP);
  }

  private NatPmpClient(InetSocketAddress server, Duration timeout, Retransmission schedule) {
    this.server = Objects.requireNonNull(server, "server");
    this.timeout = timeout;
    this.schedule = schedule;
  }

  @Override
  public NatPmpClient timeout(Duration t) {
    if (t.isNegative() || t.isZero()) throw new IllegalArgumentException("timeout must be > 0: " + t);
    return new NatPmpClient(server, t, schedule);
  }

  /** This client with another retransmission schedule (tests use short ones). */
  public NatPmpClient retransmission(Retransmission r) {
    return new NatPmpClient(server, timeout, Objects.requireNonNull(r, "retransmission"));
  }

  @Override
  public InetSocketAddress server() {
    return server;
  }

  /** Asks the router's external address (opcode 0). */
  public ExternalAddress externalAddress() throws IOException {
    return exchange(new byte[] {VERSION, OP_EXTERNAL_ADDRESS}, OP_EXTERNAL_ADDRESS, 12, answer -> {
      long epoch = Integer.toUnsignedLong(answer.getInt(4));
      byte[] ip = new byte[4];
      answer.position(8);
      answer.get(ip);
      return new ExternalAddress(epoch, InetAddress.getByAddress(ip));
    });
  }

  @Override
  public long epoch() throws IOException {
    return externalAddress().epochSeconds();
  }

  /**
   * Asks the external address, then maps {@code internalPort}: two exchanges, as a NAT-PMP
   * mapping answer does not carry the address.
   */
  @Override
  public MapAnswer map(Protocol protocol, int internalPort, int suggestedExternalPort,
      long lifetimeSeconds) throws IOException {
    if (lifetimeSeconds < 1 || lifetimeSeconds > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("lifetime must be 1 to 2^32-1 s: " + lifetimeSeconds);
    }
    ExternalAddress address = externalAddress();
    int[] granted = mapRequest(protocol, internalPort, suggestedExternalPort, lifetimeSeconds);
    return new MapAnswer(Integer.toUnsignedLong(granted[0]), address.address(), granted[1],
        Integer.toUnsignedLong(granted[2]));
  }

  @Override
  public void delete(Protocol protocol, int internalPort) throws IOException {
    mapRequest(protocol, internalPort, 0, 0); // RFC 6886 3.4: lifetime 0, external port 0
  }

  /** One mapping request; its answer as {epoch, external port, lifetime}. */
  private int[] mapRequest(Protocol protocol, int internalPort, int suggestedExternalPort,
      long lifetimeSeconds) throws IOException {
    checkPort("internal", internalPort, 1);
    checkPort("external", suggestedExternalPort, 0);
    int op = protocol == Protocol.TCP ? OP_MAP_TCP : OP_MAP_UDP;
    ByteBuffer request = ByteBuffer.allocate(12)
        .put((byte) VERSION).put((byte) op).putShort((short) 0)
        .putShort((short) internalPort).putShort((short) suggestedExternalPort)
        .putInt((int) lifetimeSeconds);
    return exchange(request.array(), op, 16, answer -> {
      if (answer.getShort(8) != (short) internalPort) return null; // an answer to another request
      return new int[] {answer.getInt(4), Short.toUnsignedInt(answer.getShort(10)), answer.getInt(12)};
    });
  }

  private <T> T exchange(byte[] request, int op, int length, UdpExchange.Reader<T> success)
      throws IOException {
    return UdpExchange.run("NAT-PMP", server, timeout, schedule, local -> request, answer -> {
      // an error answer may be cut short after the epoch (RFC 6886 3.5)
      if (answer.remaining() < 8 || answer.get(0) != VERSION
          || Byte.toUnsignedInt(answer.get(1)) != ANSWER + op) {
        return null;
      }
      int result = Short.toUnsignedInt(answer.getShort(2));
      if (result != 0) throw new NatPmpException(UdpExchange.where(server), result);
      return answer.remaining() < length ? null : success.read(answer);
    });
  }

  static void checkPort(String which, int port, int min) {
    if (port < min || port > 65535) {
      throw new IllegalArgumentException(which + " port out of range: " + port);
    }
  }

  @Override
  public String toString() {
    return "NAT-PMP at " + UdpExchange.where(server);
  }
}
