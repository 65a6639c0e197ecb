package dev.p2pchat.chat;

import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.Bye;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.ErrorCode;
import dev.p2pchat.protocol.ErrorMessage;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Peers;
import dev.p2pchat.protocol.Ping;
import dev.p2pchat.protocol.Pong;
import dev.p2pchat.protocol.ProtocolVersion;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to a peer. Senders write to its non-blocking socket themselves (see {@link
 * Outbox}); what the socket cannot take at once waits in a bounded backlog that the connection's
 * writer thread sends, so a slow or hostile peer only ever stalls itself: when its backlog fills
 * up it is dropped. Answers the reader thread writes (acks, pongs) are flushed together once it
 * has read all that has arrived. The reader enforces the handshake, the frame limit, the inbound rate and the keepalive (a read
 * timeout of {@link NodeConfig#deadAfter()}: peers ping each other, so silence means death).
 */
final class PeerConnection {
  private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);
  /** How long a bye may take to leave before the socket is closed anyway. */
  static final Duration BYE_GRACE = Duration.ofSeconds(1);
  /** Sends closer together than this, with nothing read in between, are flushed by the writer thread. */
  private static final long COALESCE_NANOS = 50_000;
  /** The longest the writer thread waits for a burst to pause. */
  private static final long BURST_MAX_WAIT_NANOS = 500_000;

  private final Node node;
  private final NodeConfig config;
  private final SocketChannel channel;
  private final boolean outbound;
  private final String remote;
  private final boolean introduced;
  private final ChannelInput input;
  private final FrameReader reader;
  private final Outbox outbox;
  /** Encodes frames into the outbox. */
  private final FrameWriter writer;
  /** Orders sends against the bye, and guards the send bookkeeping; never held by a flush but the bye's. */
  private final Object sendLock = new Object();
  private final Thread readerThread;
  private final Thread writerThread;
  private final AtomicReference<String> closeReason = new AtomicReference<>();
  private final TokenBucket inboundRate;
  private final AtomicLong pingCount = new AtomicLong();
  /** Set once by whichever comes first: the peer's hello or the handshake timeout. */
  private final AtomicBoolean handshakeSettled = new AtomicBoolean();
  private volatile boolean byeQueued;
  /** Set once the bye is written: nothing may follow it. Guarded by {@link #sendLock}. */
  private boolean outputClosed;
  /** When a thread other than the reader last sent; written under {@link #sendLock}. */
  private final AtomicLong lastSendNanos = new AtomicLong();
  /** Whether a frame came in since then: the peer is answering, not being flooded. */
  private volatile boolean readSinceSend = true;
  /** Whether the writer thread is to flush a burst; guarded by {@link #sendLock}. */
  private boolean burstPending;
  private volatile Future<?> handshakeTimer;
  private volatile boolean superseded;
  private volatile Hello hello;
  private volatile long handshakeNanos;
  private volatile String pingToken;
  private volatile long pingSentNanos;
  private volatile long rttNanos = -1;
  /** The lines the peer's node sent lately, known from the handshake on; reader thread only. */
  private ReceivedLines.Sender linesFrom;
  /** Bad frames in a row; reader thread only. */
  private int strikes;
  /** Whether the peer already introduced its peers; reader thread only. */
  private boolean peersReceived;
  /** Whether the peer's protocol takes several ids in one ack; reader thread only. */
  private boolean batchesAcks;
  /** Lines read since the last ack went out, to a peer that {@link #batchesAcks}; reader thread only. */
  private final OwedAcks acksOwed = new OwedAcks();
  /** Whether the reader thread wrote answers that it has not flushed yet; reader thread only. */
  private boolean answered;

  /**
   * @param remote the peer's address as dialled for outbound connections, else the socket's
   *     remote end; shown until the peer's hello says better
   * @param introduced whether we dialled it because another peer told us about it
   */
  PeerConnection(Node node, NodeConfig config, SocketChannel channel, boolean outbound, String remote,
      boolean introduced) throws IOException {
    this.node = node;
    this.config = config;
    this.channel = channel;
    this.outbound = outbound;
    this.remote = remote;
    this.introduced = introduced;
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    this.input = new ChannelInput(channel, config.deadAfter(), this::flushAnswers);
    this.reader = new FrameReader(input, Limits.MAX_FRAME_BYTES);
    this.outbox = new Outbox(channel, this::startWriter);
    this.writer = new FrameWriter(outbox);
    this.inboundRate = new TokenBucket(config.inboundPerSecond(), config.inboundBurst(), System.nanoTime());
    this.readerThread = new Thread(this::readLoop, "peer-reader " + remote);
    this.writerThread = new Thread(this::writeLoop, "peer-writer " + remote);
    readerThread.setDaemon(true);
    writerThread.setDaemon(true);
  }

  /** Sends our hello and starts both threads; the connection is dropped if no hello comes back in time. */
  void start(Hello ours) {
    // the timer first, so that a hello read at once finds it to cancel
    handshakeTimer = node.schedule(() -> {
      if (handshakeSettled.compareAndSet(false, true)) {
        close("no hello within " + Durations.human(config.handshakeTimeout()), true);
      }
    }, config.handshakeTimeout());
    send(ours);
    readerThread.start();
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

  /** The peer's node id; only after the handshake. */
  String nodeId() {
    return hello.nodeId();
  }

  /** The lines the peer's node sent lately; reader thread only, after the handshake. */
  ReceivedLines.Sender linesFrom() {
    return linesFrom;
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

  /**
   * Sends {@code message} without waiting for the peer. A peer whose backlog is full is too slow
   * to keep up and is dropped: returns false then, and when the connection is closing.
   *
   * <p>Who flushes: the reader thread flushes what it answers once it has read all that arrived.
   * Other senders flush themselves, which costs one system call and no thread hand-off — unless
   * they send faster than one frame per {@link #COALESCE_NANOS} with nothing read in between (a
   * burst, not a conversation): then the writer thread is woken to flush, and the frames that
   * gather meanwhile go out in one write.
   */
  boolean send(Message message) {
    return send(message, System.nanoTime());
  }

  /**
   * {@link #send(Message)} with the time now ({@link System#nanoTime()}) as the caller read it: a
   * clock reading costs about 25 ns here, and a line sent needed three.
   */
  boolean send(Message message, long nowNanos) {
    if (closing()) return false;
    Written written;
    try {
      written = write(message, nowNanos);
    } catch (IOException e) {
      lost(e);
      return false;
    }
    switch (written) {
      case FLUSH_BY_WRITER:
        outbox.requestFlush();
        return true;
      case TOO_SLOW:
        close("too slow: " + config.outgoingQueueCapacity() + " messages waiting to be sent", false);
        return false;
      default:
        return written == Written.SENT;
    }
  }

  private enum Written { SENT, FLUSH_BY_WRITER, TOO_SLOW, CLOSED }

  private Written write(Message message, long now) throws IOException {
    synchronized (sendLock) {
      if (outputClosed) return Written.CLOSED;
      if (outbox.backlog() >= config.outgoingQueueCapacity()) return Written.TOO_SLOW;
      writer.write(message);
      if (Thread.currentThread() == readerThread) {
        answered = true;
        return Written.SENT;
      }
      // A frame read (an ack, say) does not end a burst that the writer thread is to flush anyway:
      // flushing at every ack made as many small writes as the peer made acks.
      boolean burst = burstPending || (!readSinceSend && now - lastSendNanos.get() < COALESCE_NANOS);
      // Ordered, not volatile, writes: a volatile write is a full fence, twice per frame sent,
      // and the flusher only needs to see the time soon, not at once.
      lastSendNanos.lazySet(now);
      if (readSinceSend) readSinceSend = false;
      if (burst) {
        burstPending = true;
        return Written.FLUSH_BY_WRITER;
      }
    }
    writer.flush(); // outside the lock: the system call need not hold up other senders
    return Written.SENT;
  }

  /**
   * Confirms {@code line} to the peer: at once to a 1.0 peer, else in one ack with the other
   * lines read in the same batch ({@link OwedAcks}). Reader thread only.
   */
  void acknowledge(ChatMessage line) {
    if (!batchesAcks) {
      send(new Ack(line.id()));
      return;
    }
    if (acksOwed.add(line)) sendOwedAcks();
  }

  private void sendOwedAcks() {
    Ack owed = acksOwed.take();
    if (owed != null) send(owed);
  }

  /** Sends what the reader thread answered; it runs before the reader waits for more input. */
  private void flushAnswers() {
    sendOwedAcks();
    // Without answers, taking the writer's lock for a flush would only get in the way of a sender.
    if (!answered) return;
    answered = false;
    try {
      writer.flush();
    } catch (IOException e) {
      lost(e);
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
   * Starts closing; the first reason given is the one reported. With {@code sayBye} a bye is
   * queued behind what is already waiting and the socket closes once it is out (or after {@link
   * #BYE_GRACE}); without, the socket closes now.
   */
  void close(String reason, boolean sayBye) {
    if (!closeReason.compareAndSet(null, reason)) return;
    log.info("closing {}: {}", this, reason);
    cancelHandshakeTimer();
    if (sayBye && sayBye(reason)) {
      byeQueued = true;
      node.schedule(this::hardClose, BYE_GRACE);
    } else {
      hardClose();
    }
  }

  /** Sends a bye after what is waiting and then ends the output; false if it cannot. */
  private boolean sayBye(String reason) {
    try {
      synchronized (sendLock) {
        if (outputClosed || outbox.backlog() >= config.outgoingQueueCapacity()) return false;
        outputClosed = true;
        writer.write(bye(reason));
        writer.flush();
        outbox.shutDownWhenSent();
        return true;
      }
    } catch (IOException e) {
      log.debug("could not say bye to {}: {}", this, e.toString());
      return false;
    }
  }

  /** A connection that is closing no longer needs its timeout, nor should the timer hold it. */
  private void cancelHandshakeTimer() {
    Future<?> t = handshakeTimer;
    if (t != null) t.cancel(false);
  }

  private void lost(IOException e) {
    if (closeReason.compareAndSet(null, "connection lost: " + Node.describe(e))) {
      log.info("writing to {} failed: {}", this, e.toString());
    }
    hardClose();
  }

  private static Bye bye(String reason) {
    String printable = Printable.of(reason);
    int max = Limits.MAX_REASON_LENGTH;
    if (printable.codePointCount(0, printable.length()) > max) {
      printable = printable.substring(0, printable.offsetByCodePoints(0, max - 3)) + "...";
    }
    return new Bye(printable);
  }

  /** Closes the socket now and wakes both threads, which then end. */
  void hardClose() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing socket of {}", this, e);
    }
    input.wakeUp();
    outbox.close();
  }

  /** Waits for the reader to finish, which happens once the socket is closed. */
  void awaitClosed(Duration timeout) throws InterruptedException {
    readerThread.join(Math.max(1, timeout.toMillis()));
  }

  /**
   * The writer thread starts the first time the connection has a backlog or a burst to flush: a
   * peer that keeps up with a conversation never needs it, so it costs one thread, not two.
   */
  private void startWriter() {
    writerThread.start();
  }

  private void writeLoop() {
    try {
      outbox.sendBacklog(this::flushBurst);
    } catch (InterruptedException e) {
      // closing
    } catch (IOException e) {
      lost(e);
    }
  }

  /**
   * Flushes a burst for its sender {@link #COALESCE_NANOS} from now if the sender has paused by
   * then (the burst is over), else {@link #BURST_MAX_WAIT_NANOS} from now, so that a burst goes out
   * in a few large writes, each answered by one ack, rather than in as many small ones as the
   * writer thread could wake up for.
   */
  private void flushBurst() throws IOException {
    long deadline = System.nanoTime() + BURST_MAX_WAIT_NANOS;
    LockSupport.parkNanos(COALESCE_NANOS);
    long now = System.nanoTime();
    // A burst still going on is waited out to the deadline in one sleep: looking again every
    // pause-length cost this thread system calls worth about 0.1 µs per line sent.
    if (now - lastSendNanos.get() < COALESCE_NANOS && deadline - now > 0) LockSupport.parkNanos(deadline - now);
    writer.flush();
    // A frame added since the flush took the buffer asked for another flush (the flag was set).
    synchronized (sendLock) {
      burstPending = false;
    }
  }

  private void readLoop() {
    String reason = "connection closed";
    try {
      while (true) {
        Message message;
        try {
          message = reader.read();
        } catch (DecodeException e) {
          if (strike(e.toErrorMessage(), e.getMessage())) break;
          continue;
        }
        if (message == null) break;
        if (!readSinceSend) readSinceSend = true;
        if (!(hello == null ? handshake(message) : accept(message))) break;
      }
    } catch (SocketTimeoutException e) {
      reason = "no answer for " + Durations.human(config.deadAfter());
    } catch (IOException e) {
      reason = "connection lost: " + Node.describe(e);
    } catch (RuntimeException e) {
      log.error("unexpected failure reading from {}", this, e);
      reason = "internal error: " + e;
    } finally {
      finish(reason);
    }
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
    if (h.nodeId().equals(node.nodeId())) {
      close("that is this node's own address", true);
      return false;
    }
    if (!handshakeSettled.compareAndSet(false, true) || closing()) {
      return false; // too late: the handshake timed out, or the connection is closing anyway
    }
    cancelHandshakeTimer();
    handshakeNanos = System.nanoTime();
    batchesAcks = ProtocolVersion.atLeast(h.protocolVersion(), ProtocolVersion.ACK_BATCHES);
    if (ProtocolVersion.atLeast(h.protocolVersion(), ProtocolVersion.ACK_RUNS)) acksOwed.allowRuns();
    linesFrom = node.linesFrom(h.nodeId());
    hello = h;
    log.info("handshake with {}: {} node {} ({})", this, h.nick(), h.nodeId(), h.appVersion());
    node.onHandshake(this);
    return !closing();
  }

  /** Handles a message after the handshake. Returns false to stop reading. */
  private boolean accept(Message message) {
    if (!inboundRate.tryTake(input.arrivedNanos())) {
      return !strike(new ErrorMessage(ErrorCode.RATE_LIMITED, "more than "
          + config.inboundPerSecond() + " messages per second; this one was dropped"), "sending too fast");
    }
    strikes = 0;
    if (message instanceof ChatMessage) {
      node.onChat(this, (ChatMessage) message);
    } else if (message instanceof Ack) {
      node.onAck(this, (Ack) message);
    } else if (message instanceof Ping) {
      send(((Ping) message).reply());
    } else if (message instanceof Pong) {
      Pong pong = (Pong) message;
      if (pong.token().equals(pingToken)) rttNanos = System.nanoTime() - pingSentNanos;
    } else if (message instanceof Hello) {
      return rehello((Hello) message);
    } else if (message instanceof Bye) {
      flushAnswers(); // the lines read with the bye are confirmed before the socket closes
      String reason = ((Bye) message).reason();
      superseded = reason.equals(Node.DUPLICATE_CONNECTION);
      close(reason.isBlank() ? "said bye" : Printable.of(reason), false);
      return false;
    } else if (message instanceof ErrorMessage) {
      node.onPeerError(this, (ErrorMessage) message);
    } else if (message instanceof Peers) {
      if (peersReceived) {
        log.debug("{} introduced its peers again; ignored", this);
      } else {
        peersReceived = true;
        node.onPeers(this, (Peers) message);
      }
    }
    return true;
  }

  /** A hello after the handshake announces a new nick or address; the node id must not change. */
  private boolean rehello(Hello now) {
    Hello before = hello;
    if (!now.nodeId().equals(before.nodeId())) {
      send(new ErrorMessage(ErrorCode.PROTOCOL_VIOLATION, "the node id cannot change on a connection"));
      close("changed its node id", true);
      return false;
    }
    hello = now;
    node.onHelloUpdate(this, before, now);
    return true;
  }

  /** Answers a bad frame; returns true when the peer has had too many in a row and is dropped. */
  private boolean strike(ErrorMessage error, String why) {
    strikes++;
    log.warn("{}: {} ({} in a row)", this, why, strikes);
    send(error);
    if (strikes < config.maxStrikes()) return false;
    close("too many bad messages: " + why, true);
    return true;
  }

  private void finish(String reason) {
    closeReason.compareAndSet(null, reason);
    cancelHandshakeTimer();
    if (byeQueued) {
      try {
        outbox.awaitOutputDone(BYE_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    hardClose();
    try {
      input.close();
    } catch (IOException e) {
      log.debug("closing selector of {}", this, e);
    }
    node.onClosed(this, closeReason.get());
  }

  @Override
  public String toString() {
    Hello h = hello;
    return (outbound ? "outbound " : "inbound ") + remote + (h == null ? "" : " (" + h.nick() + ")");
  }
}
