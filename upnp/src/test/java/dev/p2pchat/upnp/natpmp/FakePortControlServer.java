package dev.p2pchat.upnp.natpmp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router's NAT-PMP and PCP server on 127.0.0.1 for tests, like {@code FakeGateway} for UPnP:
 * answers on an ephemeral UDP port as miniupnpd does on 5351 (nothing is ever sent anywhere but
 * to the loopback clients that ask). It keeps the mappings it granted, counts its epoch from
 * when it started, and can be told to refuse with any result code, to stay silent, to drop the
 * first requests, to answer with a wrong nonce first, or to reboot (forget everything and start
 * the epoch again). Every request is recorded.
 */
public final class FakePortControlServer implements AutoCloseable {
  /** A mapping the fake holds: who asked for which internal port, and what it got. */
  public record Held(String protocol, int internalPort, int externalPort, long lifetimeSeconds) {}

  private final DatagramSocket socket;
  private final Thread thread;
  private final List<byte[]> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final AtomicInteger dropNext = new AtomicInteger();
  private final AtomicInteger wrongNonceNext = new AtomicInteger();
  private volatile boolean natPmp = true;
  private volatile boolean pcp = true;
  private volatile boolean silent;
  private volatile int natPmpResult;
  private volatile int pcpResult;
  private volatile long pcpErrorLifetime = 30;
  private volatile long epochBase = 1000;
  private volatile long startNanos = System.nanoTime();
  private volatile byte[] externalAddress = {5, 6, 7, 1};
  private volatile int portOffset;
  private volatile long maxLifetime = Long.MAX_VALUE;

  public FakePortControlServer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "fake-nat-pmp");
    thread.setDaemon(true);
    thread.start();
  }

  /** Where clients send to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** NAT-PMP switched on or off (off: PMP requests are not answered at all). */
  public FakePortControlServer natPmp(boolean on) {
    natPmp = on;
    return this;
  }

  /** PCP on or off (off: answered as a NAT-PMP-only router does, with UNSUPPORTED_VERSION). */
  public FakePortControlServer pcp(boolean on) {
    pcp = on;
    return this;
  }

  /** Receives and records requests, answers none. */
  public FakePortControlServer silent(boolean on) {
    silent = on;
    return this;
  }

  /** Refuses every NAT-PMP request with {@code code} (0: grant them again). */
  public FakePortControlServer natPmpResult(int code) {
    natPmpResult = code;
    return this;
  }

  /** Refuses every PCP request with {@code code}, saying the refusal holds {@code lifetime} s. */
  public FakePortControlServer pcpResult(int code, long lifetime) {
    pcpResult = code;
    pcpErrorLifetime = lifetime;
    return this;
  }

  /** Ignores the next {@code n} requests, as a lossy network would. */
  public FakePortControlServer dropNext(int n) {
    dropNext.set(n);
    return this;
  }

  /** Answers the next {@code n} PCP MAP requests with a wrong nonce first, then rightly. */
  public FakePortControlServer wrongNonceNext(int n) {
    wrongNonceNext.set(n);
    return this;
  }

  /** Grants external ports {@code offset} above the ones asked (as if those were taken). */
  public FakePortControlServer portOffset(int offset) {
    portOffset = offset;
    return this;
  }

  /** Grants at most this lifetime. */
  public FakePortControlServer maxLifetime(long seconds) {
    maxLifetime = seconds;
    return this;
  }

  /** The external address reported from now on. */
  public FakePortControlServer externalAddress(String dotted) throws IOException {
    externalAddress = InetAddress.getByName(dotted).getAddress();
    return this;
  }

  /** A power cycle: every mapping forgotten, the epoch starting again from 0. */
  public void reboot() {
    held.clear();
    epochBase = 0;
    startNanos = System.nanoTime();
  }

  /** The epoch the fake reports now. */
  public long epoch() {
    return epochBase + (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  /** Every request received, in order. */
  public List<byte[]> requests() {
    return new ArrayList<>(requests);
  }

  /** The mappings held now. */
  public List<Held> held() {
    return new ArrayList<>(held.values());
  }

  /** Sends a PCP ANNOUNCE answer, as a router does after it restarts, to {@code to}. */
  public void announce(InetSocketAddress to) throws IOException {
    ByteBuffer b = pcpHeader(0, 0, 0);
    socket.send(new DatagramPacket(b.array(), b.capacity(), to));
  }

  private void serve() {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      DatagramPacket in = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(in);
        byte[] request = Arrays.copyOf(in.getData(), in.getLength());
        requests.add(request);
        if (silent || dropNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) continue;
        for (byte[] answer : answer(ByteBuffer.wrap(request))) {
          socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
        }
      } catch (IOException e) {
        if (socket.isClosed()) return;
      }
    }
  }

  private List<byte[]> answer(ByteBuffer r) {
    if (r.remaining() < 2) return List.of();
    int version = r.get(0);
    if (version == 2) {
      if (!pcp) return List.of(natPmpHeader(r.get(1), 1).array());
      return pcpAnswer(r);
    }
    if (version != 0 || !natPmp) return List.of();
    return List.of(natPmpAnswer(r));
  }

  private byte[] natPmpAnswer(ByteBuffer r) {
    int op = r.get(1);
    if (natPmpResult != 0) return natPmpHeader(op, natPmpResult).array();
    if (op == 0) {
      ByteBuffer b = ByteBuffer.allocate(12).put(natPmpHeader(op, 0).array()).put(externalAddress);
      return b.array();
    }
    int internal = Short.toUnsignedInt(r.getShort(4));
    int suggested = Short.toUnsignedInt(r.getShort(6));
    long lifetime = Math.min(maxLifetime, Integer.toUnsignedLong(r.getInt(8)));
    String protocol = op == 2 ? "TCP" : "UDP";
    int external = grant(protocol, internal, suggested, lifetime);
    return ByteBuffer.allocate(16).put(natPmpHeader(op, 0).array())
        .putShort((short) internal).putShort((short) external).putInt((int) lifetime).array();
  }

  private ByteBuffer natPmpHeader(int op, int result) {
    ByteBuffer b = ByteBuffer.allocate(8).put((byte) 0).put((byte) (128 + op))
        .putShort((short) result).putInt((int) epoch());
    return b;
  }

  private List<byte[]> pcpAnswer(ByteBuffer r) {
    int op = r.get(1);
    if (op == 0) {
      return List.of((pcpResult != 0 ? pcpHeader(op, pcpResult, pcpErrorLifetime)
          : pcpHeader(op, 0, 0)).array());
    }
    byte[] nonce = new byte[12];
    r.position(24);
    r.get(nonce);
    int ipProtocol = r.get(36);
    int internal = Short.toUnsignedInt(r.getShort(40));
    int suggested = Short.toUnsignedInt(r.getShort(42));
    long lifetime = Math.min(maxLifetime, Integer.toUnsignedLong(r.getInt(4)));
    int external = 0;
    int result = pcpResult;
    if (result == 0) external = grant(ipProtocol == 6 ? "TCP" : "UDP", internal, suggested, lifetime);
    List<byte[]> answers = new ArrayList<>();
    if (wrongNonceNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      byte[] wrong = nonce.clone();
      wrong[0] ^= 1;
      answers.add(mapAnswer(op, result, lifetime, wrong, ipProtocol, internal, external));
    }
    answers.add(mapAnswer(op, result, lifetime, nonce, ipProtocol, internal, external));
    return answers;
  }

  private byte[] mapAnswer(int op, int result, long lifetime, byte[] nonce, int ipProtocol,
      int internal, int external) {
    ByteBuffer b = ByteBuffer.allocate(60)
        .put(pcpHeader(op, result, result == 0 ? lifetime : pcpErrorLifetime).array())
        .put(nonce).put((byte) ipProtocol).put(new byte[3])
        .putShort((short) internal).putShort((short) external)
        .put(new byte[10]).put((byte) 0xff).put((byte) 0xff).put(externalAddress);
    return b.array();
  }

  private ByteBuffer pcpHeader(int op, int result, long lifetime) {
    ByteBuffer b = ByteBuffer.allocate(24).put((byte) 2).put((byte) (0x80 | op)).put((byte) 0)
        .put((byte) result).putInt((int) lifetime).putInt((int) epoch()).put(new byte[12]);
    return b;
  }

  /** Grants (or, with lifetime 0, deletes) a mapping; the external port given. */
  private int grant(String protocol, int internal, int suggested, long lifetime) {
    String key = protocol + " " + internal;
    if (lifetime == 0) {
      held.remove(key);
      return 0;
    }
    int external = (suggested == 0 ? internal : suggested) + portOffset;
    held.put(key, new Held(protocol, internal, external, lifetime));
    return external;
  }

  @Override
  public void close() {
    socket.close();
  }
}
