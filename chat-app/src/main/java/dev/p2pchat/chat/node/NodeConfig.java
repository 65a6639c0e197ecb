package dev.p2pchat.chat.node;

import dev.p2pchat.protocol.Limits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Node} listens and how patient it is with peers. Start from {@link #builder(String)};
 * every value has a documented default (see docs/chat-app.md).
 */
public final class NodeConfig {
  /** The listening port a node tries first, unless told otherwise. */
  public static final int DEFAULT_PORT = 48083;

  private final String nick;
  private final InetAddress bindAddress;
  private final int port;
  private final boolean portFallback;
  private final int externalPort;
  private final Duration pingInterval;
  private final Duration deadAfter;
  private final Duration handshakeTimeout;
  private final Duration ackTimeout;
  private final Duration connectTimeout;
  private final int outgoingQueueFrames;
  private final long outgoingQueueBytes;
  private final long outgoingQueueTotalBytes;
  private final int inboundPerSecond;
  private final int inboundBurst;
  private final int maxStrikes;
  private final int maxPeers;

  private NodeConfig(Builder b) {
    this.nick = b.nick;
    this.bindAddress = b.bindAddress;
    this.port = b.port;
    this.portFallback = b.portFallback;
    this.externalPort = b.externalPort;
    this.pingInterval = b.pingInterval;
    this.deadAfter = b.deadAfter;
    this.handshakeTimeout = b.handshakeTimeout;
    this.ackTimeout = b.ackTimeout;
    this.connectTimeout = b.connectTimeout;
    this.outgoingQueueFrames = b.outgoingQueueFrames;
    this.outgoingQueueBytes = b.outgoingQueueBytes;
    this.outgoingQueueTotalBytes = b.outgoingQueueTotalBytes;
    this.inboundPerSecond = b.inboundPerSecond;
    this.inboundBurst = b.inboundBurst;
    this.maxStrikes = b.maxStrikes;
    this.maxPeers = b.maxPeers;
  }

  public static Builder builder(String nick) {
    return new Builder(nick);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public String nick() { return nick; }
  /** The local address to listen on; null means every interface. */
  public InetAddress bindAddress() { return bindAddress; }
  /** The listening port; 0 picks any free port. */
  public int port() { return port; }
  /** Whether a busy {@link #port()} falls back to any free port instead of failing. */
  public boolean portFallback() { return portFallback; }
  /** The external port to ask the router for; 0 means the same as the listening port. */
  public int externalPort() { return externalPort; }
  /** How often each peer is pinged. */
  public Duration pingInterval() { return pingInterval; }
  /** A peer that has sent nothing at all for this long is dead and dropped. */
  public Duration deadAfter() { return deadAfter; }
  /** A connection whose hello has not arrived within this is dropped. */
  public Duration handshakeTimeout() { return handshakeTimeout; }
  /** A sent line not acknowledged within this is reported as not confirmed. */
  public Duration ackTimeout() { return ackTimeout; }
  /** How long dialling a peer may take. */
  public Duration connectTimeout() { return connectTimeout; }
  /** Most messages waiting to be sent to one peer; a peer that lets more pile up is dropped. */
  public int outgoingQueueFrames() { return outgoingQueueFrames; }
  /** Most bytes waiting to be sent to one peer; a peer that lets more pile up is dropped. */
  public long outgoingQueueBytes() { return outgoingQueueBytes; }
  /**
   * Most bytes waiting to be sent to all peers together; the peer whose message would pass it is
   * dropped.
   */
  public long outgoingQueueTotalBytes() { return outgoingQueueTotalBytes; }
  /** Sustained inbound frames per second accepted from one peer. */
  public int inboundPerSecond() { return inboundPerSecond; }
  /** Inbound frames one peer may send in a burst above the sustained rate. */
  public int inboundBurst() { return inboundBurst; }
  /** Bad frames (malformed, rate-limited) within a minute after which a peer is dropped. */
  public int maxStrikes() { return maxStrikes; }
  /**
   * Peers connected at once; more are turned away with a bye. Each peer costs two threads (a
   * reader and a writer) and a socket, which is what bounds it.
   */
  public int maxPeers() { return maxPeers; }

  /** Builds a {@link NodeConfig}. */
  public static final class Builder {
    private String nick;
    private InetAddress bindAddress;
    private int port = DEFAULT_PORT;
    private boolean portFallback = true;
    private int externalPort;
    private Duration pingInterval = Duration.ofSeconds(5);
    private Duration deadAfter = Duration.ofSeconds(15);
    private Duration handshakeTimeout = Duration.ofSeconds(5);
    private Duration ackTimeout = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private int outgoingQueueFrames = 1024;
    private long outgoingQueueBytes = 1 << 20;
    private long outgoingQueueTotalBytes = 32 << 20;
    private int inboundPerSecond = 200;
    private int inboundBurst = 400;
    private int maxStrikes = 3;
    private int maxPeers = 256;

    private Builder(String nick) {
      this.nick = Objects.requireNonNull(nick, "nick");
    }

    private Builder(NodeConfig c) {
      this.nick = c.nick;
      this.bindAddress = c.bindAddress;
      this.port = c.port;
      this.portFallback = c.portFallback;
      this.externalPort = c.externalPort;
      this.pingInterval = c.pingInterval;
      this.deadAfter = c.deadAfter;
      this.handshakeTimeout = c.handshakeTimeout;
      this.ackTimeout = c.ackTimeout;
      this.connectTimeout = c.connectTimeout;
      this.outgoingQueueFrames = c.outgoingQueueFrames;
      this.outgoingQueueBytes = c.outgoingQueueBytes;
      this.outgoingQueueTotalBytes = c.outgoingQueueTotalBytes;
      this.inboundPerSecond = c.inboundPerSecond;
      this.inboundBurst = c.inboundBurst;
      this.maxStrikes = c.maxStrikes;
      this.maxPeers = c.maxPeers;
    }

    public Builder nick(String nick) {
      this.nick = Objects.requireNonNull(nick, "nick");
      return this;
    }

    public Builder bindAddress(InetAddress address) {
      this.bindAddress = address;
      return this;
    }

    public Builder port(int port, boolean fallbackIfBusy) {
      this.port = checkPort(port, "port");
      this.portFallback = fallbackIfBusy;
      return this;
    }

    public Builder externalPort(int port) {
      this.externalPort = checkPort(port, "externalPort");
      return this;
    }

    /** Sets the keepalive: ping every {@code interval}, dead after {@code deadAfter} of silence. */
    public Builder keepalive(Duration interval, Duration deadAfter) {
      this.pingInterval = positive(interval, "pingInterval");
      this.deadAfter = positive(deadAfter, "deadAfter");
      if (deadAfter.compareTo(interval) <= 0) {
        throw new IllegalArgumentException("deadAfter must be longer than the ping interval");
      }
      return this;
    }

    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = positive(timeout, "handshakeTimeout");
      return this;
    }

    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = positive(timeout, "ackTimeout");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Bounds what may wait to be sent to one peer, in messages and in bytes. */
    public Builder outgoingQueue(int frames, long bytes) {
      this.outgoingQueueFrames = atLeastOne(frames, "outgoingQueueFrames");
      if (bytes < Limits.MAX_FRAME_BYTES) {
        throw new IllegalArgumentException("outgoingQueueBytes must hold the largest frame: " + bytes);
      }
      this.outgoingQueueBytes = bytes;
      return this;
    }

    /** Bounds what may wait to be sent to all peers together, in bytes. */
    public Builder outgoingQueueTotal(long bytes) {
      if (bytes < Limits.MAX_FRAME_BYTES) {
        throw new IllegalArgumentException("outgoingQueueTotalBytes must hold the largest frame: " + bytes);
      }
      this.outgoingQueueTotalBytes = bytes;
      return this;
    }

    /** Accepts {@code perSecond} inbound frames per peer sustained, {@code burst} at once. */
    public Builder inboundRate(int perSecond, int burst) {
      this.inboundPerSecond = atLeastOne(perSecond, "inboundPerSecond");
      this.inboundBurst = atLeastOne(burst, "inboundBurst");
      return this;
    }

    public Builder maxStrikes(int strikes) {
      this.maxStrikes = atLeastOne(strikes, "maxStrikes");
      return this;
    }

    public Builder maxPeers(int peers) {
      this.maxPeers = atLeastOne(peers, "maxPeers");
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(this);
    }

    private static int checkPort(int port, String name) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " out of range: " + port);
      return port;
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) throw new IllegalArgumentException(name + " must be at least 1: " + value);
      return value;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
      return d;
    }
  }
}
