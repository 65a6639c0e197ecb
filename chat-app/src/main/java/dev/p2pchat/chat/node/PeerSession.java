package dev.p2pchat.chat.node;

import dev.p2pchat.chat.trust.Fingerprint;
import dev.p2pchat.chat.trust.SecuredConnection;
import dev.p2pchat.chat.trust.Verdict;
import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.Bye;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.ErrorCode;
import dev.p2pchat.protocol.ErrorMessage;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.MessageCodec;
import dev.p2pchat.protocol.Peers;
import dev.p2pchat.protocol.Ping;
import dev.p2pchat.protocol.Pong;
import dev.p2pchat.protocol.ProtocolVersion;
import dev.p2pchat.upnp.DurationText;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol spoken with one peer over its {@link Transport}, on a TLS connection whose key
 * the node accepted (the peer is that key's {@link Fingerprint}): the handshake and its timeout,
 * the inbound rate limit and strikes for bad frames, pings, and the orderly bye. What the peer
 * says goes to the {@link Node}.
 */
final class PeerSession implements Transport.Receiver {
  private static final Logger log = LoggerFactory.getLogger(PeerSession.class);
  /** How long a bye may take to leave before the socket is closed anyway. */
  static final Duration BYE_GRACE = Duration.ofSeconds(1);
  /** Bad frames count against a peer for this long, valid frames between them or not. */
  static final Duration STRIKE_WINDOW = Duration.ofMinutes(1);

  private final Node node;
  private final NodeConfig config;
  private final Transport transport;
  private final boolean outbound;
  private final String remote;
  private final boolean introduced;
  private final Verdict verdict;
  private final InetAddress observedIp;
  private final AtomicReference<String> closeReason = new AtomicReference<>();
  private final TokenBucket inboundRate;
  private final AtomicLong pingCount = new AtomicLong();
  /** Set once by whichever comes first: the peer's hello or the handshake timeout. */
  private final AtomicBoolean handshakeSettled = new AtomicBoolean();
  private volatile Future<?> handshakeTimer;
  private volatile boolean superseded;
  /** The nick as shown, with the short fingerprint when needed (see {@link NickLabels}). */
  private volatile String label;
  /** Whether the nick looks like a known peer's with another key. */
  private volatile boolean looksLikeKnown;
  /** Whether the peer may learn where our other peers are (see {@link Node}'s {@code accepted}). */
  private volatile boolean accepted;
  private volatile Hello hello;
  private volatile long handshakeNanos;
  private volatile String pingToken;
  private volatile long pingSentNanos;
  private volatile long rttNanos = -1;
  /** Bad frames lately; reader thread only. */
  private final Strikes strikes;
  /** Whether the peer already introduced its peers; reader thread only. */
  private boolean peersReceived;

  /**
   * @param remote the peer's address as dialled for outbound connections, else the socket's
   *     remote end; shown until the peer's hello says better
   * @param introduced whether we dialled it because another peer told us about it
   */
  PeerSession(Node node, NodeConfig config, SecuredConnection secured, boolean outbound,
      String remote, boolean introduced) throws IOException {
    this.node = node;
    this.verdict = secured.verdict();
    this.observedIp = secured.socket().getInetAddress();
    this.config = config;
    this.outbound = outbound;
    this.remote = remote;
    this.introduced = introduced;
    this.transport = new Transport(secured.socket(), secured.tcp(), (outbound ? "to " : "from ") + remote,
        config.outgoingQueueFrames(), config.outgoingQueueBytes(), node.queuedForAllPeers(),
        config.deadAfter(), BYE_GRACE, this);
    this.strikes = new Strikes(config.maxStrikes(), STRIKE_WINDOW);
    this.inboundRate = new TokenBucket(config.inboundPerSecond(), config.inboundBurst(), System.nanoTime());
  }

  /** Sends our hello and starts reading; the connection is dropped if no hello comes back in time. */
  void start(Hello ours) {
    // the timer first, so that a hello read at once finds it to cancel
    handshakeTimer = node.schedule(() -> {
      if (handshakeSettled.compareAndSet(false, true)) {
        close("no hello within " + DurationText.human(config.handshakeTimeout()), true);
      }
    }, config.handshakeTimeout());
    send(ours);
    transport.start();
  }

  boolean outbound() {
    return outbound;
  }

  boolean introduced() {
    return introduced;
  }

  /** The address as dialled (outbound) or the socket's remote end (inbound). */
  String remote() {
    return remote;
  }

  /** The address the peer announced in its hello, or null. */
  String announcedAddress() {
    Hello h = hello;
    return h == null ? null : h.address();
  }

  boolean handshaken() {
    return hello != null;
  }

  long handshakeNanos() {
    return handshakeNanos;
  }

  /** The peer's fingerprint as text, which keys it in the registry and the line bookkeeping. */
  String nodeId() {
    return verdict.presented().toString();
  }

  /** The peer: the key it proved in the TLS handshake. */
  Fingerprint fingerprint() {
    return verdict.presented();
  }

  /** What the node decided about the peer's key: known, or new and shown to compare. */
  Verdict verdict() {
    return verdict;
  }

  /** How the user sees this peer: its nick, or its nick and short fingerprint. */
  String label() {
    String l = label;
    return l != null ? l : nick();
  }

  void label(String label) {
    this.label = label;
  }

  boolean looksLikeKnown() {
    return looksLikeKnown;
  }

  void looksLikeKnown(boolean looksLikeKnown) {
    this.looksLikeKnown = looksLikeKnown;
  }

  boolean accepted() {
    return accepted;
  }

  void accept() {
    accepted = true;
  }

  /** The IP address the connection comes from. */
  InetAddress observedIp() {
    return observedIp;
  }

  String nick() {
    Hello h = hello;
    return h == null ? remote : h.nick();
  }

  /** Where the peer says it can be reached, else where we reached it. */
  String address() {
    Hello h = hello;
    return h != null && h.address() != null ? h.address() : remote;
  }

  Optional<Duration> rtt() {
    long rtt = rttNanos;
    return rtt < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(rtt));
  }

  /** Whether the peer closed this connection as a duplicate of another one between us. */
  boolean superseded() {
    return superseded;
  }

  boolean closing() {
    return closeReason.get() != null;
  }

  /** Sends {@code message} without waiting; false if the connection is closing or was just dropped. */
  boolean send(Message message) {
    return sendFrame(MessageCodec.frame(message));
  }

  /**
   * Sends a message already encoded ({@link MessageCodec#frame}), as a broadcast does once for all
   * peers. A peer whose queue is full is too slow to keep up and is dropped.
   */
  boolean sendFrame(byte[] frame) {
    switch (transport.send(frame)) {
      case QUEUED:
        return true;
      case FULL:
        close("too slow: " + transport.backlog(), false);
        return false;
      default:
        return false;
    }
  }

  void ping() {
    if (hello == null || closing()) return;
    String token = Long.toString(pingCount.incrementAndGet());
    pingSentNanos = System.nanoTime();
    pingToken = token;
    send(new Ping(token, System.currentTimeMillis()));
  }

  /**
   * Starts closing; the first reason given is the one reported. With {@code sayBye} a bye goes
   * out after what is already queued and the socket closes once it is sent (or after {@link
   * #BYE_GRACE}); without, the socket closes now.
   */
  void close(String reason, boolean sayBye) {
    if (!closeReason.compareAndSet(null, reason)) return;
    log.info("closing {}: {}", this, reason);
    cancelHandshakeTimer();
    if (sayBye && transport.endOutput(MessageCodec.frame(bye(reason)))) {
      node.schedule(transport::close, BYE_GRACE);
    } else {
      transport.close();
    }
  }

  /** Closes the socket now. */
  void hardClose() {
    transport.close();
  }

  /** Waits for the connection to be closed, as it is soon after the socket closes. */
  void awaitClosed(Duration timeout) throws InterruptedException {
    transport.awaitClosed(timeout);
  }

  /** A connection that is closing no longer needs its timeout, nor should the timer hold it. */
  private void cancelHandshakeTimer() {
    Future<?> t = handshakeTimer;
    if (t != null) t.cancel(false);
  }

  private static Bye bye(String reason) {
    String printable = Printable.of(reason);
    int max = Limits.MAX_REASON_LENGTH;
    if (printable.codePointCount(0, printable.length()) > max) {
      printable = printable.substring(0, printable.offsetByCodePoints(0, max - 3)) + "...";
    }
    return new Bye(printable);
  }

  @Override
  public boolean onMessage(Message message) {
    return hello == null ? handshake(message) : accept(message);
  }

  @Override
  public boolean onBadFrame(DecodeException e) {
    return !strike(e.toErrorMessage(), e.getMessage());
  }

  @Override
  public void onClosed(String reason) {
    closeReason.compareAndSet(null, reason);
    cancelHandshakeTimer();
    node.onClosed(this, closeReason.get());
  }

  /** Handles the first message, which must be a hello. Returns false to stop reading. */
  private boolean handshake(Message message) {
    if (!(message instanceof Hello)) {
      send(new ErrorMessage(ErrorCode.PROTOCOL_VIOLATION,
          "the first message must be hello, not " + message.type()));
      close("sent " + message.type() + " before hello", true);
      return false;
    }
    Hello h = (Hello) message;
    Optional<ErrorMessage> unsupported = ProtocolVersion.check(h);
    if (unsupported.isPresent()) {
      send(unsupported.get());
      close("speaks protocol " + h.protocolVersion() + ", this node " + ProtocolVersion.CURRENT, true);
      return false;
    }
    if (fingerprint().equals(node.fingerprint())) {
      close("that is this node's own address", true);
      return false;
    }
    if (!handshakeSettled.compareAndSet(false, true) || closing()) {
      return false; // too late: the handshake timed out, or the connection is closing anyway
    }
    cancelHandshakeTimer();
    handshakeNanos = System.nanoTime();
    hello = h;
    log.info("handshake with {}: {} node {} ({})", this, h.nick(), fingerprint(), h.appVersion());
    node.onHandshake(this);
    return !closing();
  }

  /** Handles a message after the handshake. Returns false to stop reading. */
  private boolean accept(Message message) {
    if (!inboundRate.tryTake(System.nanoTime())) {
      return !strike(new ErrorMessage(ErrorCode.RATE_LIMITED, "more than "
          + config.inboundPerSecond() + " messages per second; this one was dropped"), "sending too fast");
    }
    if (message instanceof ChatMessage chat) {
      send(new Ack(chat.id()));
      node.onChat(this, chat);
    } else if (message instanceof Ack ack) {
      node.onAck(this, ack);
    } else if (message instanceof Ping ping) {
      send(ping.reply());
    } else if (message instanceof Pong pong) {
      if (pong.token().equals(pingToken)) rttNanos = System.nanoTime() - pingSentNanos;
    } else if (message instanceof Hello now) {
      return rehello(now);
    } else if (message instanceof Bye bye) {
      superseded = bye.reason().equals(Node.DUPLICATE_CONNECTION);
      // The acks of the lines read before the bye still go out before the socket closes.
      closeReason.compareAndSet(null, bye.reason().isBlank() ? "said bye" : Printable.of(bye.reason()));
      return false;
    } else if (message instanceof ErrorMessage error) {
      node.onPeerError(this, error);
    } else if (message instanceof Peers peers) {
      if (peersReceived) {
        log.debug("{} introduced its peers again; ignored", this);
      } else {
        peersReceived = true;
        node.onPeers(this, peers);
      }
    }
    return true;
  }

  /** A hello after the handshake announces a new nick or address. */
  private boolean rehello(Hello now) {
    Hello before = hello;
    hello = now;
    node.onHelloUpdate(this, before, now);
    return true;
  }

  /** Answers a bad frame; returns true when the peer has had too many within the window and is dropped. */
  private boolean strike(ErrorMessage error, String why) {
    int recent = strikes.add(System.nanoTime());
    log.warn("{}: {} ({} within {})", this, why, recent, DurationText.human(STRIKE_WINDOW));
    send(error);
    if (recent < config.maxStrikes()) return false;
    close("too many bad messages: " + why, true);
    return true;
  }

  @Override
  public String toString() {
    Hello h = hello;
    return (outbound ? "outbound " : "inbound ") + remote + (h == null ? "" : " (" + h.nick() + ")");
  }
}
