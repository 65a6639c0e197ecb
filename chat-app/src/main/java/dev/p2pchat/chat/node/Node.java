package dev.p2pchat.chat.node;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.trust.Fingerprint;
import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.KnownPeers;
import dev.p2pchat.chat.trust.PeerRefusedException;
import dev.p2pchat.chat.trust.PeerVerifier;
import dev.p2pchat.chat.trust.SecuredConnection;
import dev.p2pchat.chat.trust.ShareToken;
import dev.p2pchat.chat.trust.TokenFormatException;
import dev.p2pchat.chat.trust.TlsEndpoint;
import dev.p2pchat.chat.trust.Verdict;
import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.ErrorMessage;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.Ids;
import dev.p2pchat.protocol.Introduction;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.MessageCodec;
import dev.p2pchat.protocol.Nicknames;
import dev.p2pchat.protocol.Peers;
import dev.p2pchat.upnp.AddressKind;
import java.io.Closeable;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat node: it listens for peers, forwards its port on the router, dials peers it is told
 * about, and shows everything that happens on a {@link ChatView}. It has no user interface of its
 * own, so tests and benchmarks drive it directly:
 *
 * <pre>{@code
 * Node node = new Node(NodeConfig.builder("alice").port(0, false).build(), identity, knownPeers,
 *     view, PortForwarding.none());
 * node.start();
 * node.connect(ShareToken.parse("127.0.0.1:48083#P56IOI7-MZJNU2Y-…"));
 * node.broadcast("hello");
 * node.close();
 * }</pre>
 *
 * <p>Every connection is mutually authenticated TLS 1.3 ({@link TlsEndpoint}): a peer is the key
 * it proved, its {@link Fingerprint}, whatever its hello says. Two nodes that dial each other at
 * the same time end up with one connection: the one dialled by the node with the smaller
 * fingerprint. Only the node that dialled a redundant connection closes
 * it, so both sides agree without talking about it.
 */
public final class Node implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** The bye reason that tells the peer another connection between the two nodes stays open. */
  static final String DUPLICATE_CONNECTION = "duplicate connection";
  /** How long closing waits for peers to take their bye. */
  private static final Duration CLOSE_GRACE = Duration.ofMillis(1500);

  /** A dialled peer presented {@code presented}, another key than expected at {@code address}. */
  private record Refusal(HostPort address, Fingerprint presented) {}

  private final NodeConfig config;
  private final ChatView view;
  private final PortForwarding forwarding;
  private final Identity identity;
  private final KnownPeers knownPeers;
  private final TlsEndpoint tls;
  /** Our fingerprint as the registry and the line bookkeeping key peers: its text form. */
  private final String nodeId;
  private final String appVersion;
  private final ScheduledExecutorService timer;
  private final PeerRegistry registry;
  /** Sockets open at once: peers, plus room for connections in their handshake or being closed. */
  private final int maxConnections;
  private final Set<PeerSession> connections = ConcurrentHashMap.newKeySet();
  /** TLS handshakes under way, which count against {@link #maxConnections} as well. */
  private final AtomicInteger handshaking = new AtomicInteger();
  /** The last key this node refused, for {@code /trust}. */
  private final AtomicReference<Refusal> lastRefused = new AtomicReference<>();
  /** Writes the known-peers file off the peers' threads, one change after another. */
  private final ExecutorService knownPeersWriter;
  /** Dials introduced peers, a few at a time; what waits beyond its queue is dropped. */
  private final ThreadPoolExecutor introducedDials;
  /** Introduced peers dialled at once, each counting as a connection while it lasts. */
  static final int MAX_INTRODUCED_DIALS = 4;
  private final Unconfirmed unconfirmed = new Unconfirmed();
  private final QueueBudget queuedForAllPeers;
  /** Inbound connections that have not said hello yet; bounded so that silent ones cannot crowd out peers. */
  private final HandshakeSlots handshakes = new HandshakeSlots(MAX_HANDSHAKES_PER_ADDRESS, MAX_HANDSHAKES);
  static final int MAX_HANDSHAKES_PER_ADDRESS = 16;
  static final int MAX_HANDSHAKES = 64;
  /** Addresses being dialled because a peer introduced them; their failures are only logged. */
  private final Set<String> introductions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closeDone = new CountDownLatch(1);
  private volatile String nick;
  private volatile String address;
  /** Whether {@link #address} is one peers outside the LAN can dial (else it is the LAN address). */
  private volatile boolean addressShared;
  private volatile ServerSocket server;

  /** Lines received lately, so that one sent again is shown only once. */
  private final ReceivedLines received;
  /** How many of each sender's latest lines are remembered for that. */
  private static final int IDS_REMEMBERED = 4096;

  public Node(NodeConfig config, Identity identity, KnownPeers knownPeers, ChatView view,
      PortForwarding forwarding) {
    this.config = Objects.requireNonNull(config, "config");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.knownPeers = Objects.requireNonNull(knownPeers, "knownPeers");
    this.nodeId = identity.fingerprint().toString();
    this.tls = new TlsEndpoint(identity, config.handshakeTimeout());
    this.view = Objects.requireNonNull(view, "view");
    this.forwarding = Objects.requireNonNull(forwarding, "forwarding");
    this.nick = config.nick();
    this.appVersion = Version.current();
    this.registry = new PeerRegistry(nodeId, config.maxPeers());
    this.received = new ReceivedLines(2 * config.maxPeers(), IDS_REMEMBERED);
    this.maxConnections = config.maxPeers() + Math.max(16, config.maxPeers() / 4);
    this.queuedForAllPeers = new QueueBudget(config.outgoingQueueTotalBytes());
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("p2p-chat-timer"));
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    this.knownPeersWriter = Executors.newSingleThreadExecutor(daemon("p2p-chat-known-peers"));
    this.introducedDials = new ThreadPoolExecutor(MAX_INTRODUCED_DIALS, MAX_INTRODUCED_DIALS,
        10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4 * Limits.MAX_PEERS),
        daemon("p2p-chat-introduced"), (task, pool) -> log.info("too many introductions waiting; one dropped"));
    introducedDials.allowCoreThreadTimeOut(true);
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Opens the listening socket, starts accepting peers, then forwards the port (showing progress)
   * and shows the address to share. Throws if the port cannot be opened.
   */
  public void start() throws IOException {
    server = bind();
    view.show(Notice.info("Listening on TCP port " + port() + " as " + nick));
    view.show(Notice.info("Your fingerprint: " + fingerprint()
        + " (peers see it; compare it with them by phone or in person)"));
    knownPeers.loadProblem().ifPresent(problem -> view.show(Notice.warning(problem)));
    Thread acceptor = new Thread(new Acceptor(server, closed::get, this::accepted), "p2p-chat-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    long ping = config.pingInterval().toMillis();
    timer.scheduleAtFixedRate(() -> connections.forEach(PeerSession::ping), ping, ping, TimeUnit.MILLISECONDS);
    // One sweep for every line's ack timeout rather than a timer task per line: a line is
    // reported between one and one and a quarter ack timeouts after it was sent.
    long sweep = Math.max(10, config.ackTimeout().toMillis() / 4);
    timer.scheduleAtFixedRate(this::reportUnconfirmed, sweep, sweep, TimeUnit.MILLISECONDS);

    int externalPort = config.externalPort() == 0 ? port() : config.externalPort();
    Optional<InetSocketAddress> shared = forwarding.open(port(), externalPort, view, this::externalAddressChanged);
    if (shared.isPresent()) {
      addressShared = true;
      setAddress(Addresses.format(shared.get()));
      view.show(shareAddress());
    } else {
      InetAddress lan = lanAddress();
      setAddress(Addresses.format(lan, port()));
      if (AddressKind.of(lan) == AddressKind.PUBLIC) {
        view.show(Notice.info("This host has a public address: peers can reach it directly."));
        addressShared = true;
        view.show(shareAddress());
      } else {
        view.show(Notice.info("LAN address: " + shareToken()));
        view.show(Notice.info("Peers outside your network cannot connect to you: ask them for "
            + "their address and /connect to it (dialling out works)."));
      }
    }
  }

  private ServerSocket bind() throws IOException {
    try {
      return listen(config.port());
    } catch (BindException e) {
      if (!config.portFallback() || config.port() == 0) {
        throw new BindException("cannot listen on port " + config.port() + ": " + e.getMessage());
      }
      ServerSocket any = listen(0);
      view.show(Notice.warning("port " + config.port() + " is busy; using " + any.getLocalPort() + " instead"));
      return any;
    }
  }

  private ServerSocket listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(config.bindAddress(), port), 50);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private InetAddress lanAddress() {
    InetAddress bound = server.getInetAddress();
    if (!bound.isAnyLocalAddress()) return bound;
    return forwarding.lanAddress().or(LanAddress::guess).orElse(InetAddress.getLoopbackAddress());
  }

  /** The listening port. */
  public int port() {
    return server.getLocalPort();
  }

  /** This node's id: the fingerprint of its key. */
  public Fingerprint fingerprint() {
    return identity.fingerprint();
  }

  /** What a peer pastes to reach exactly this node: our address and fingerprint. */
  private ShareToken shareToken() {
    return new ShareToken(HostPort.parse(address), fingerprint());
  }

  private ChatEvent.ShareAddress shareAddress() {
    return new ChatEvent.ShareAddress(shareToken());
  }

  public String nick() {
    return nick;
  }

  /** The address this node tells peers about: the mapped external one, else its LAN address. */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /**
   * Dials the node {@code token} names in the background, accepting only its fingerprint; the
   * outcome shows up on the view.
   */
  public void connect(ShareToken token) {
    connect(token.address(), Optional.of(token.fingerprint()), "");
  }

  /**
   * Dials {@code target} in the background; the outcome shows up on the view. The peer must
   * present the key remembered at that address; a peer new to this node is trusted on first use
   * and its fingerprint shown to compare.
   */
  public void connect(HostPort target) {
    connect(target, Optional.empty(), "");
  }

  /**
   * Dials {@code target}, accepting only the {@code expected} fingerprint if there is one, and
   * says where the address came from in the "Connecting to …" line: {@code origin} is appended
   * to the address, such as {@code " (from the pasted share line)"}.
   */
  public void connect(HostPort target, Optional<Fingerprint> expected, String origin) {
    if (closed.get()) return;
    Optional<PeerInfo> already = peers().stream()
        .filter(p -> p.address().equals(target.toString())
            || expected.isPresent() && p.fingerprint().equals(expected.get()))
        .findFirst();
    if (already.isPresent()) {
      view.show(Notice.info("already connected to " + already.get().nick() + " at " + already.get().address()));
      return;
    }
    view.show(Notice.info("Connecting to " + target + origin + "…"));
    PeerVerifier verifier = knownPeers.verifierForDialled(target, expected);
    Thread dialer = new Thread(() -> dialCounted(target, verifier, false, true), "p2p-chat-dial " + target);
    dialer.setDaemon(true);
    dialer.start();
  }

  /** Dials with the handshake counted against the connection limit while it lasts. */
  private void dialCounted(HostPort target, PeerVerifier verifier, boolean introduced, boolean vouched) {
    handshaking.incrementAndGet();
    try {
      dial(target, verifier, introduced, vouched);
    } finally {
      handshaking.decrementAndGet();
    }
  }

  /**
   * Dials an introduced peer when one of the few introduction dials is free and there is room;
   * {@code vouched} if an accepted peer introduced it.
   */
  private void dialIntroduced(HostPort target, PeerVerifier verifier, boolean vouched) {
    introducedDials.execute(() -> {
      if (closed.get() || connections.size() + handshaking.get() >= maxConnections) {
        log.info("not dialling introduced {}: no room for more connections", target);
        introductions.remove(target.toString());
        return;
      }
      dialCounted(target, verifier, true, vouched);
    });
  }

  /**
   * @param introduced whether a peer introduced it: then failures are only logged
   * @param vouched whether the user dialled it or an accepted peer introduced it: then it is
   *     accepted (see {@link #accepted})
   */
  private void dial(HostPort target, PeerVerifier verifier, boolean introduced, boolean vouched) {
    Socket socket = null;
    try {
      InetSocketAddress resolved = new InetSocketAddress(target.host(), target.port());
      if (isOwnAddress(target, resolved)) {
        // Caught before dialling: from inside the home the shared address is usually refused.
        if (!introduced) view.show(Notice.warning("could not connect to " + target + ": that is this node's own address"));
        return;
      }
      socket = new Socket();
      socket.connect(resolved, Math.toIntExact(config.connectTimeout().toMillis()));
      adopt(tls.secureDialled(socket, verifier), true, target.toString(), introduced, vouched);
    } catch (PeerRefusedException e) {
      lastRefused.set(new Refusal(target, e.verdict().presented()));
      log.warn("refused {}: {}", target, e.verdict().presented());
      if (introduced) {
        introductions.remove(target.toString());
      } else {
        view.show(Notice.error(e.getMessage() + " (or just /trust)"));
      }
    } catch (IOException e) {
      if (socket != null) closeQuietly(socket);
      if (introduced) {
        introductions.remove(target.toString());
        log.info("could not connect to introduced peer {}: {}", target, describe(e));
      } else if (!closed.get()) {
        view.show(Notice.warning("could not connect to " + target + ": " + describe(e)
            + ConnectFailure.of(e).map(f -> " — " + f.hint()).orElse("")));
      }
    }
  }

  /** Whether {@code target} is the address we share or one we listen on. */
  private boolean isOwnAddress(HostPort target, InetSocketAddress resolved) throws SocketException {
    if (target.toString().equals(address)) return true;
    InetAddress a = resolved.getAddress();
    if (a == null || resolved.getPort() != port()) return false;
    InetAddress bound = server.getInetAddress();
    if (!bound.isAnyLocalAddress()) return bound.equals(a);
    return a.isAnyLocalAddress() || a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
  }

  /** Takes an inbound connection on the accepting thread; its TLS handshake runs on a thread of its own. */
  private void accepted(Socket socket) {
    String remote = Addresses.format(socket.getInetAddress(), socket.getPort());
    if (connections.size() + handshaking.get() >= maxConnections) {
      Acceptor.refuse(socket, "already " + connections.size() + " connections and " + handshaking.get() + " handshakes");
      return;
    }
    Optional<String> full = handshakes.enter(remote, socket.getInetAddress());
    if (full.isPresent()) {
      Acceptor.refuse(socket, full.get());
      return;
    }
    handshaking.incrementAndGet();
    Thread handshake = new Thread(() -> {
      try {
        adopt(tls.secureAccepted(socket, knownPeers.verifierForAccepted()), false, remote, false, false);
      } catch (IOException e) {
        // a plaintext client, a port scanner, a peer gone: nothing for the user to see
        handshakes.leave(remote);
        log.info("inbound connection from {} failed: {}", remote, e.getMessage());
        closeQuietly(socket);
      } finally {
        handshaking.decrementAndGet();
      }
    }, "p2p-chat-tls " + remote);
    handshake.setDaemon(true);
    handshake.start();
  }

  private void adopt(SecuredConnection secured, boolean outbound, String remote, boolean introduced,
      boolean vouched) throws IOException {
    PeerSession c = new PeerSession(this, config, secured, outbound, remote, introduced);
    // Dialled: as vouched. Accepted: a known peer (a dialled key can be "known" from a token).
    if (outbound ? vouched : secured.verdict().kind() == Verdict.Kind.ACCEPT_KNOWN) c.accept();
    connections.add(c);
    log.info("{} connection with {}", outbound ? "outbound" : "inbound", remote);
    c.start(hello());
    if (closed.get()) c.close("quit", true);
  }

  private Hello hello() {
    return Hello.of(nick, appVersion, address);
  }

  /**
   * Sends {@code text} to every peer and returns how many it went to; lines a peer does not
   * acknowledge within {@link NodeConfig#ackTimeout()} are reported as not confirmed.
   */
  public int broadcast(String text) {
    List<PeerSession> targets = registry.active();
    if (targets.isEmpty()) {
      view.show(Notice.warning("nobody to send to yet: /connect ip:port first"));
      return 0;
    }
    ChatMessage m = outgoing(text, null);
    if (m == null) return 0;
    byte[] frame = MessageCodec.frame(m);
    for (PeerSession c : targets) send(c, m, frame);
    return targets.size();
  }

  /** Sends {@code text} to the one peer called {@code toNick}; false (and a notice) if there is none. */
  public boolean sendTo(String toNick, String text) {
    List<PeerSession> named = registry.active().stream()
        .filter(c -> c.nick().equals(toNick)).collect(Collectors.toList());
    if (named.isEmpty()) {
      view.show(Notice.warning("no peer called " + toNick + " (/peers lists them)"));
      return false;
    }
    if (named.size() > 1) {
      view.show(Notice.warning(named.size() + " peers are called " + toNick + "; ask one to change nick (/nick)"));
      return false;
    }
    ChatMessage m = outgoing(text, toNick);
    if (m == null) return false;
    send(named.get(0), m, MessageCodec.frame(m));
    return true;
  }

  /** This node's next line, shown as sent; null (and a notice) if {@code text} cannot be sent. */
  private ChatMessage outgoing(String text, String to) {
    ChatMessage m;
    try {
      m = new ChatMessage(Ids.random(), nick, text, System.currentTimeMillis(), to);
    } catch (IllegalArgumentException e) {
      view.show(Notice.warning("not sent: " + e.getMessage()));
      return null;
    }
    view.show(new Chat(nick, to, text, m.timestamp(), true));
    return m;
  }

  private void send(PeerSession c, ChatMessage m, byte[] frame) {
    unconfirmed.add(c.nodeId(), c.label(), m, System.nanoTime(), c);
    // A connection closed meanwhile (as a duplicate, say) may have been swept already.
    if (!c.sendFrame(frame)) resendStranded(c.nodeId());
  }

  /**
   * Sends the lines still waiting for an ack from {@code peerNodeId} that went out on a connection
   * now closing again on the one in use. When two nodes dial each other at once, a line can go out
   * on the connection the peer is closing as a duplicate, which it no longer reads; the peer shows
   * a line that arrives twice only once.
   */
  private void resendStranded(String peerNodeId) {
    PeerSession target = registry.active(peerNodeId);
    if (target == null) return; // the connection kept is still in its handshake: it resends then
    for (Unconfirmed.Pending p : unconfirmed.moveStranded(peerNodeId, target)) {
      log.info("resending {} to {} on {}", p.message().id(), p.nick(), target);
      target.send(p.message());
    }
  }

  /**
   * Reports the lines whose ack timeout has passed, oldest first, in one line for all found at
   * once: peers that never ack would otherwise make one line per peer for every line typed.
   */
  private void reportUnconfirmed() {
    List<Unconfirmed.Pending> late = unconfirmed.takeLate(System.nanoTime(), config.ackTimeout().toNanos());
    if (late.isEmpty()) return;
    Set<String> nicks = new LinkedHashSet<>();
    Map<String, String> lines = new LinkedHashMap<>();
    for (Unconfirmed.Pending p : late) {
      nicks.add(p.nick());
      lines.putIfAbsent(p.message().id(), p.message().text());
    }
    view.show(new ChatEvent.NotConfirmed(List.copyOf(nicks), List.copyOf(lines.values())));
  }

  /** Open sockets to peers, including ones still in their handshake or closing. */
  int connectionCount() {
    return connections.size();
  }

  /** TLS handshakes under way, dialled or accepted. */
  int handshakingCount() {
    return handshaking.get();
  }

  /** The bound on bytes waiting to be sent to all peers together. */
  QueueBudget queuedForAllPeers() {
    return queuedForAllPeers;
  }

  /** Tasks waiting on the node's timer: the two periodic ones, plus any timeouts pending. */
  int timerTasks() {
    return ((ScheduledThreadPoolExecutor) timer).getQueue().size();
  }

  /** Sent lines whose ack has not arrived yet (and whose ack timeout has not passed). */
  public int unconfirmedCount() {
    return unconfirmed.size();
  }

  /** Changes this node's nickname and tells every peer; false (and a notice) if it is not valid. */
  public boolean changeNick(String newNick) {
    Optional<String> problem = Nicknames.problem(newNick);
    if (problem.isPresent()) {
      view.show(Notice.warning(problem.get()));
      return false;
    }
    nick = newNick;
    relabel();
    view.show(Notice.info("you are now known as " + newNick));
    announceHello();
    return true;
  }

  private void externalAddressChanged(InetSocketAddress now) {
    view.show(Notice.warning("your external address changed; peers have been told"));
    addressShared = true;
    setAddress(Addresses.format(now));
    view.show(shareAddress());
  }

  private void setAddress(String now) {
    String before = address;
    address = now;
    if (!now.equals(before)) announceHello();
  }

  /** A hello after the handshake updates the peer's view of our nick and address. */
  private void announceHello() {
    Hello h = hello();
    for (PeerSession c : connections) {
      if (c.handshaken()) c.send(h);
    }
  }

  /** The connected peers, one entry per peer node. */
  public List<PeerInfo> peers() {
    return registry.active().stream()
        .map(c -> new PeerInfo(c.fingerprint(), c.nick(), c.address(), c.outbound(), c.rtt().orElse(null)))
        .collect(Collectors.toList());
  }

  /**
   * Lines for {@code /whois NICK}: every peer whose nick is, or looks like, {@code peerNick}, with
   * its full fingerprint, address, who dialled whom and whether it is known or new.
   */
  public List<String> whois(String peerNick) {
    String skeleton = NickLabels.skeleton(peerNick);
    List<String> lines = new ArrayList<>();
    for (PeerSession c : registry.active()) {
      if (!NickLabels.skeleton(c.nick()).equals(skeleton)) continue;
      lines.add(c.label() + ": fingerprint " + c.fingerprint() + ", at " + c.address() + ", "
          + (c.outbound() ? "you dialled" : "dialled you") + ", "
          + (knownPeers.byFingerprint(c.fingerprint()).isPresent() ? "known" : "new to you")
          + (c.accepted() ? "" : ", not accepted (/accept)"));
    }
    if (lines.isEmpty()) lines.add("no peer called " + peerNick + " (/peers lists them)");
    return lines;
  }

  /** Lines for {@code /status}. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    lines.add("nick: " + nick + "   version: " + appVersion);
    lines.add("fingerprint: " + fingerprint());
    lines.add("listening on: " + Addresses.format(server.getInetAddress(), port()));
    lines.add((addressShared ? "address to share: " : "LAN address (peers outside it cannot dial it): ")
        + (address == null ? "(not known yet)" : shareToken()));
    lines.addAll(forwarding.status());
    lines.add("peers: " + peers().size());
    return lines;
  }

  // Called by PeerSession threads.

  void onHandshake(PeerSession c) {
    if (!c.outbound()) handshakes.leave(c.remote());
    c.looksLikeKnown(looksLikeAKnownPeer(c));
    PeerRegistry.Added added = registry.add(c);
    if (added.full()) {
      c.close("this node already has " + config.maxPeers() + " peers", true);
      return;
    }
    for (PeerSession r : added.redundant()) r.close(DUPLICATE_CONNECTION, true);
    if (c.introduced()) introductions.remove(c.remote());
    resendStranded(c.nodeId());
    relabel();
    if (added.joined()) {
      view.show(new ChatEvent.PeerJoined(c.label(), c.address()));
      if (c.verdict().kind() == Verdict.Kind.ACCEPT_NEW) {
        view.show(Notice.info(c.label() + " is a " + c.verdict().message()));
      }
      if (accepted(c)) {
        introduceOthersTo(c);
      } else {
        view.show(Notice.info(c.label() + (c.outbound() ? " was introduced by a peer you have not"
            + " accepted" : " dialled you") + " and learns nothing of your other peers until you"
            + " /accept " + c.nick()));
      }
    }
    rememberIfTrusted(c);
  }

  /**
   * Gives every peer its label: the nick alone, or with the short fingerprint when it could be
   * taken for another peer's, ours, or a known peer's, or mixes scripts ({@link NickLabels}).
   * Run when peers come and go or change nick, not per line.
   */
  private synchronized void relabel() {
    List<PeerSession> all = registry.active();
    Map<String, Set<Fingerprint>> keysBySkeleton = new HashMap<>();
    for (PeerSession c : all) {
      keysBySkeleton.computeIfAbsent(NickLabels.skeleton(c.nick()), k -> new HashSet<>()).add(c.fingerprint());
    }
    String ours = NickLabels.skeleton(nick);
    for (PeerSession c : all) {
      String skeleton = NickLabels.skeleton(c.nick());
      boolean ambiguous = keysBySkeleton.get(skeleton).size() > 1 || skeleton.equals(ours)
          || NickLabels.mixesScripts(c.nick()) || c.looksLikeKnown();
      c.label(ambiguous ? c.nick() + " (" + c.fingerprint().shortForm() + ")" : c.nick());
    }
  }

  /** Whether {@code c}'s nick looks like the last nick of a known peer with another key. */
  private boolean looksLikeAKnownPeer(PeerSession c) {
    String skeleton = NickLabels.skeleton(c.nick());
    return knownPeers.all().stream().anyMatch(k -> !k.fingerprint().equals(c.fingerprint())
        && k.nick().map(NickLabels::skeleton).filter(skeleton::equals).isPresent());
  }

  /**
   * Whether the user has accepted the peer, so that it may learn where our other peers are and
   * introduce its own: a peer the user dialled or an accepted peer introduced, a known peer, or
   * one the user {@link #accept}ed. A stranger who dials us, or whom a stranger introduced, is not.
   */
  private static boolean accepted(PeerSession c) {
    return c.accepted();
  }

  /**
   * The user accepts the peer called {@code peerNick} that dialled this node ({@code /accept}):
   * it is remembered as a known peer and told where our other peers are. False (and a notice) if
   * no single peer has that nick.
   */
  public boolean accept(String peerNick) {
    List<PeerSession> named = registry.active().stream()
        .filter(c -> c.nick().equals(peerNick)).toList();
    if (named.size() != 1) {
      view.show(Notice.warning(named.isEmpty() ? "no peer called " + peerNick + " (/peers lists them)"
          : named.size() + " peers are called " + peerNick + "; /whois " + peerNick + " tells them apart"));
      return false;
    }
    PeerSession c = named.get(0);
    if (accepted(c)) {
      view.show(Notice.info(peerNick + " is accepted already"));
      return true;
    }
    c.accept();
    rememberIfTrusted(c);
    introduceOthersTo(c);
    view.show(Notice.success("accepted " + peerNick + " (" + c.fingerprint() + "): remembered, and"
        + " told where your other peers are"));
    return true;
  }

  /**
   * Records a peer the user chose (dialled, known already, or accepted) in the known peers, with the
   * address it listens on: the one dialled, else the IP it connected from and the port its hello
   * announces. Never the source port of an accepted connection, which nobody listens on.
   */
  private void rememberIfTrusted(PeerSession c) {
    if (!accepted(c)) return;
    Optional<HostPort> listening = c.outbound()
        ? Optional.of(Addresses.normalise(HostPort.parse(c.remote())))
        : Optional.ofNullable(c.announcedAddress()).map(a -> HostPort.parse(a).port())
            .map(port -> HostPort.parse(Addresses.format(c.observedIp(), port)));
    Fingerprint peer = c.fingerprint();
    Optional<String> peerNick = Optional.of(c.nick());
    knownPeersWriter.execute(() -> {
      try {
        knownPeers.remember(peer, peerNick, listening);
      } catch (IOException e) {
        log.warn("could not remember {}: {}", peer, e.toString());
      }
    });
  }

  /**
   * Accepts on purpose the key last refused ({@code key} empty), or {@code key} if a connection
   * presented it, at the address where it was refused, and dials it again. False (and a notice)
   * if no refused connection presented it.
   */
  public boolean trust(Optional<Fingerprint> key) {
    Refusal refused = lastRefused.get();
    if (refused == null || key.isPresent() && !key.get().equals(refused.presented())) {
      view.show(Notice.warning(key.map(k -> "no connection presented " + k + " lately; to dial a"
          + " peer with that key, /connect ADDRESS#" + k).orElse("no key was refused lately:"
          + " /trust accepts the key of a refused connection")));
      return false;
    }
    HostPort where = refused.address();
    try {
      List<Fingerprint> replaced = knownPeers.trust(where, refused.presented());
      lastRefused.compareAndSet(refused, null);
      view.show(Notice.success("trusting " + refused.presented() + " at " + where
          + (replaced.isEmpty() ? "" : " instead of " + replaced.stream().map(Fingerprint::toString)
              .collect(Collectors.joining(", ")))));
    } catch (IOException e) {
      view.show(Notice.error("could not save the known peers: " + e.getMessage()));
      return false;
    }
    connect(where, Optional.of(refused.presented()), "");
    return true;
  }

  /**
   * Tells a new peer where our other peers are, so that every peer ends up talking to every other.
   * A {@code peers} message holds at most {@link Limits#MAX_PEERS} addresses, fewer than a node
   * may have peers: then it is a random choice, so that the peers the newcomer meets introduce it
   * to different others and it still finds them all.
   */
  private void introduceOthersTo(PeerSession newcomer) {
    List<String> others = registry.active().stream()
        .filter(o -> o != newcomer && o.announcedAddress() != null)
        .map(o -> new Introduction(HostPort.parse(o.announcedAddress()), o.nodeId()).toString())
        .distinct()
        .collect(Collectors.toList());
    if (others.size() > Limits.MAX_PEERS) {
      Collections.shuffle(others);
      others = others.subList(0, Limits.MAX_PEERS);
    }
    if (!others.isEmpty()) newcomer.send(new Peers(others));
  }

  /**
   * Dials the peers a peer introduces that we are not connected to yet, quietly, each accepting
   * only the key the introduction names, and only where {@link IntroducedAddresses} allows. Those
   * a stranger introduced are strangers too: they learn nothing from us until accepted.
   */
  void onPeers(PeerSession from, Peers introduced) {
    Set<Fingerprint> connected = peers().stream().map(PeerInfo::fingerprint).collect(Collectors.toSet());
    for (String text : introduced.addresses()) {
      Introduction intro = Introduction.parse(text);
      Fingerprint key;
      try {
        key = Fingerprint.parse(intro.fingerprint());
      } catch (TokenFormatException e) {
        log.info("{} introduces {}: {}; ignored", from, text, e.getMessage());
        continue;
      }
      String a = intro.address().toString();
      if (key.equals(fingerprint()) || connected.contains(key)) continue;
      Optional<String> refusal = IntroducedAddresses.refusal(intro.address(), from.observedIp());
      if (refusal.isPresent()) {
        log.info("{} introduces {}: {}; not dialled", from, text, refusal.get());
        continue;
      }
      if (!introductions.add(a)) continue;
      log.info("{} introduces {}; dialling it", from, text);
      dialIntroduced(intro.address(), PeerVerifier.expecting(a, key, "introduced by " + from.nick()),
          accepted(from));
    }
  }

  void onChat(PeerSession c, ChatMessage m) {
    if (!received.add(c.nodeId(), m.id())) {
      log.debug("{} sent {} again; shown already", c, m.id());
      return;
    }
    if (m.to() != null && !m.to().equals(nick)) {
      log.debug("{} sent {} addressed to {}, not to us; not shown", c, m.id(), m.to());
      return;
    }
    view.show(new Chat(c.label(), m.to(), Printable.lines(m.text()), m.timestamp(), false));
  }

  void onAck(PeerSession c, Ack ack) {
    if (!unconfirmed.confirm(c.nodeId(), ack.id())) log.debug("{} acked unknown message {}", c, ack.id());
  }

  void onHelloUpdate(PeerSession c, Hello before, Hello now) {
    if (!before.nick().equals(now.nick())) {
      String was = c.label();
      c.looksLikeKnown(looksLikeAKnownPeer(c));
      relabel();
      view.show(Notice.info(was + " is now known as " + c.label()));
      rememberIfTrusted(c);
    }
    if (now.address() != null && !now.address().equals(before.address())) {
      view.show(Notice.info(c.label() + "'s address is now " + now.address()));
    }
  }

  void onPeerError(PeerSession c, ErrorMessage e) {
    log.warn("{} reports {}: {}", c, e.code().wireName(), e.reason());
    view.show(new ChatEvent.PeerError(c.label(), e.code().wireName(), Printable.of(e.reason())));
  }

  void onClosed(PeerSession c, String reason) {
    connections.remove(c);
    if (!c.outbound()) handshakes.leave(c.remote());
    PeerRegistry.Removed removed = registry.remove(c);
    log.info("{} closed: {}", c, reason);
    if (removed != PeerRegistry.Removed.NOT_REGISTERED && !closed.get()) resendStranded(c.nodeId());
    if (removed == PeerRegistry.Removed.LEFT) relabel();
    if (removed == PeerRegistry.Removed.SWITCHING) {
      // The peer closed it as a duplicate: the connection it keeps gets a handshake timeout to
      // finish its handshake here before the peer is reported gone.
      schedule(() -> {
        if (registry.endSwitch(c) && !closed.get()) view.show(new ChatEvent.PeerLeft(c.label(), reason));
      }, config.handshakeTimeout());
    }
    if (closed.get()) return;
    if (removed == PeerRegistry.Removed.LEFT) {
      view.show(new ChatEvent.PeerLeft(c.label(), reason));
    } else if (!c.handshaken() && c.introduced()) {
      introductions.remove(c.remote());
    } else if (!c.handshaken() && c.outbound()) {
      view.show(Notice.warning("could not connect to " + c.address() + ": " + reason));
    }
  }

  /** Runs {@code task} after {@code delay}; null if the node is closing and it never will. */
  Future<?> schedule(Runnable task, Duration delay) {
    try {
      return timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the node is closing; the task no longer matters
    }
  }

  /**
   * Says bye to every peer, waits up to about a second and a half for them to take it, closes
   * every socket and removes the port forwarding. Safe to call more than once and from several
   * threads (the shutdown hook and the UI): every caller returns once the node is closed, so the
   * JVM does not halt halfway through saying bye.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      try {
        closeDone.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      closeNow();
    } finally {
      closeDone.countDown();
    }
  }

  private void closeNow() {
    log.info("closing node");
    if (server != null) closeQuietly(server);
    List<PeerSession> all = new ArrayList<>(connections);
    for (PeerSession c : all) c.close("quit", true);
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    try {
      for (PeerSession c : all) c.awaitClosed(Duration.ofNanos(deadline - System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (PeerSession c : all) c.hardClose();
    forwarding.close();
    timer.shutdownNow();
    introducedDials.shutdownNow();
    knownPeersWriter.shutdown();
    try {
      knownPeersWriter.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A short human description of a network failure, in lower case like the rest of the line. */
  static String describe(IOException e) {
    if (e instanceof SocketTimeoutException) return "no answer in time";
    if (e instanceof UnknownHostException) return "unknown host " + e.getMessage();
    String message = e.getMessage();
    if (message == null) return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.startsWith("connection reset")) return "connection reset by peer";
    if (lower.contains("timed out")) return "timed out";
    return lower;
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      log.debug("close failed", e);
    }
  }
}
