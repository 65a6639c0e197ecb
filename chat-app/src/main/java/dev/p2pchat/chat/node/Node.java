package dev.p2pchat.chat.node;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.ErrorMessage;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.Ids;
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
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat node: it listens for peers, forwards its port on the router, dials peers it is told
 * about, and shows everything that happens on a {@link ChatView}. It has no user interface of its
 * own, so tests and benchmarks drive it directly:
 *
 * <pre>{@code
 * Node node = new Node(NodeConfig.builder("alice").port(0, false).build(), view, PortForwarding.none());
 * node.start();
 * node.connect(HostPort.parse("127.0.0.1:48083"));
 * node.broadcast("hello");
 * node.close();
 * }</pre>
 *
 * <p>Two nodes that dial each other at the same time end up with one connection: the one dialled
 * by the node with the smaller node id. Only the node that dialled a redundant connection closes
 * it, so both sides agree without talking about it.
 */
public final class Node implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** The bye reason that tells the peer another connection between the two nodes stays open. */
  static final String DUPLICATE_CONNECTION = "duplicate connection";
  /** How long closing waits for peers to take their bye. */
  private static final Duration CLOSE_GRACE = Duration.ofMillis(1500);

  private final NodeConfig config;
  private final ChatView view;
  private final PortForwarding forwarding;
  private final String nodeId = Ids.random();
  private final String appVersion;
  private final ScheduledExecutorService timer;
  private final PeerRegistry registry;
  /** Sockets open at once: peers, plus room for connections in their handshake or being closed. */
  private final int maxConnections;
  private final Set<PeerSession> connections = ConcurrentHashMap.newKeySet();
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

  public Node(NodeConfig config, ChatView view, PortForwarding forwarding) {
    this.config = Objects.requireNonNull(config, "config");
    this.view = Objects.requireNonNull(view, "view");
    this.forwarding = Objects.requireNonNull(forwarding, "forwarding");
    this.nick = config.nick();
    this.appVersion = Version.current();
    this.registry = new PeerRegistry(nodeId, config.maxPeers());
    this.received = new ReceivedLines(2 * config.maxPeers(), IDS_REMEMBERED);
    this.maxConnections = config.maxPeers() + Math.max(16, config.maxPeers() / 4);
    this.queuedForAllPeers = new QueueBudget(config.outgoingQueueTotalBytes());
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "p2p-chat-timer");
      thread.setDaemon(true);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
  }

  /**
   * Opens the listening socket, starts accepting peers, then forwards the port (showing progress)
   * and shows the address to share. Throws if the port cannot be opened.
   */
  public void start() throws IOException {
    server = bind();
    view.show(Notice.info("Listening on TCP port " + port() + " as " + nick));
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
      view.show(new ChatEvent.ShareAddress(address));
    } else {
      InetAddress lan = lanAddress();
      setAddress(Addresses.format(lan, port()));
      if (AddressKind.of(lan) == AddressKind.PUBLIC) {
        view.show(Notice.info("This host has a public address: peers can reach it directly."));
        addressShared = true;
        view.show(new ChatEvent.ShareAddress(address));
      } else {
        view.show(Notice.info("LAN address: " + address));
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

  public String nodeId() {
    return nodeId;
  }

  public String nick() {
    return nick;
  }

  /** The address this node tells peers about: the mapped external one, else its LAN address. */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /** Dials {@code target} in the background; the outcome shows up on the view. */
  public void connect(HostPort target) {
    connect(target, "");
  }

  /**
   * Dials {@code target} in the background, saying where the address came from in the
   * "Connecting to …" line: {@code origin} is appended to the address, such as
   * {@code " (from the pasted share line)"}.
   */
  public void connect(HostPort target, String origin) {
    if (closed.get()) return;
    Optional<PeerInfo> already = peers().stream().filter(p -> p.address().equals(target.toString())).findFirst();
    if (already.isPresent()) {
      view.show(Notice.info("already connected to " + already.get().nick() + " at " + target));
      return;
    }
    view.show(Notice.info("Connecting to " + target + origin + "…"));
    startDialling(target, false);
  }

  private void startDialling(HostPort target, boolean introduced) {
    Thread dialer = new Thread(() -> dial(target, introduced), "p2p-chat-dial " + target);
    dialer.setDaemon(true);
    dialer.start();
  }

  private void dial(HostPort target, boolean introduced) {
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
      adopt(socket, true, target.toString(), introduced);
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

  private void accepted(Socket socket) {
    String remote = Addresses.format(socket.getInetAddress(), socket.getPort());
    if (connections.size() >= maxConnections) {
      Acceptor.refuse(socket, "this node already has " + connections.size() + " connections; try again later");
      return;
    }
    Optional<String> full = handshakes.enter(remote, socket.getInetAddress());
    if (full.isPresent()) {
      Acceptor.refuse(socket, full.get());
      return;
    }
    try {
      adopt(socket, false, remote, false);
    } catch (IOException e) {
      handshakes.leave(remote);
      log.info("inbound connection from {} failed: {}", remote, e.toString());
      closeQuietly(socket);
    }
  }

  private void adopt(Socket socket, boolean outbound, String remote, boolean introduced)
      throws IOException {
    PeerSession c = new PeerSession(this, config, socket, outbound, remote, introduced);
    connections.add(c);
    log.info("{} connection with {}", outbound ? "outbound" : "inbound", remote);
    c.start(hello());
    if (closed.get()) c.close("quit", true);
  }

  private Hello hello() {
    return Hello.of(nodeId, nick, appVersion, address);
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
    unconfirmed.add(c.nodeId(), c.nick(), m, System.nanoTime(), c);
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
    view.show(Notice.info("you are now known as " + newNick));
    announceHello();
    return true;
  }

  private void externalAddressChanged(InetSocketAddress now) {
    view.show(Notice.warning("your external address changed; peers have been told"));
    addressShared = true;
    setAddress(Addresses.format(now));
    view.show(new ChatEvent.ShareAddress(address));
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
        .map(c -> new PeerInfo(c.nodeId(), c.nick(), c.address(), c.outbound(), c.rtt().orElse(null)))
        .collect(Collectors.toList());
  }

  /** Lines for {@code /status}. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    lines.add("nick: " + nick + "   node id: " + nodeId + "   version: " + appVersion);
    lines.add("listening on: " + Addresses.format(server.getInetAddress(), port()));
    lines.add((addressShared ? "address to share: " : "LAN address (peers outside it cannot dial it): ")
        + (address == null ? "(not known yet)" : address));
    lines.addAll(forwarding.status());
    lines.add("peers: " + peers().size());
    return lines;
  }

  // Called by PeerSession threads.

  void onHandshake(PeerSession c) {
    if (!c.outbound()) handshakes.leave(c.remote());
    PeerRegistry.Added added = registry.add(c);
    if (added.full()) {
      c.close("this node already has " + config.maxPeers() + " peers", true);
      return;
    }
    for (PeerSession r : added.redundant()) r.close(DUPLICATE_CONNECTION, true);
    if (c.introduced()) introductions.remove(c.remote());
    resendStranded(c.nodeId());
    if (added.joined()) {
      view.show(new ChatEvent.PeerJoined(c.nick(), c.address()));
      introduceOthersTo(c);
    }
  }

  /**
   * Tells a new peer where our other peers are, so that every peer ends up talking to every other.
   * A {@code peers} message holds at most {@link Limits#MAX_PEERS} addresses, fewer than a node
   * may have peers: then it is a random choice, so that the peers the newcomer meets introduce it
   * to different others and it still finds them all.
   */
  private void introduceOthersTo(PeerSession newcomer) {
    List<String> others = registry.active().stream()
        .filter(o -> o != newcomer)
        .map(PeerSession::announcedAddress)
        .filter(Objects::nonNull)
        .distinct()
        .collect(Collectors.toList());
    if (others.size() > Limits.MAX_PEERS) {
      Collections.shuffle(others);
      others = others.subList(0, Limits.MAX_PEERS);
    }
    if (!others.isEmpty()) newcomer.send(new Peers(others));
  }

  /** Dials the peers a peer introduces that we are not connected to yet, quietly. */
  void onPeers(PeerSession from, Peers introduced) {
    Set<String> known = peers().stream().map(PeerInfo::address).collect(Collectors.toSet());
    for (String a : introduced.addresses()) {
      if (a.equals(address) || known.contains(a) || !introductions.add(a)) continue;
      log.info("{} introduces {}; dialling it", from, a);
      startDialling(HostPort.parse(a), true);
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
    view.show(new Chat(c.nick(), m.to(), Printable.lines(m.text()), m.timestamp(), false));
  }

  void onAck(PeerSession c, Ack ack) {
    if (!unconfirmed.confirm(c.nodeId(), ack.id())) log.debug("{} acked unknown message {}", c, ack.id());
  }

  void onHelloUpdate(PeerSession c, Hello before, Hello now) {
    if (!before.nick().equals(now.nick())) {
      view.show(Notice.info(before.nick() + " is now known as " + now.nick()));
    }
    if (now.address() != null && !now.address().equals(before.address())) {
      view.show(Notice.info(now.nick() + "'s address is now " + now.address()));
    }
  }

  void onPeerError(PeerSession c, ErrorMessage e) {
    log.warn("{} reports {}: {}", c, e.code().wireName(), e.reason());
    view.show(new ChatEvent.PeerError(c.nick(), e.code().wireName(), Printable.of(e.reason())));
  }

  void onClosed(PeerSession c, String reason) {
    connections.remove(c);
    if (!c.outbound()) handshakes.leave(c.remote());
    PeerRegistry.Removed removed = registry.remove(c);
    log.info("{} closed: {}", c, reason);
    if (removed != PeerRegistry.Removed.NOT_REGISTERED && !closed.get()) resendStranded(c.nodeId());
    if (removed == PeerRegistry.Removed.SWITCHING) {
      // The peer closed it as a duplicate: the connection it keeps gets a handshake timeout to
      // finish its handshake here before the peer is reported gone.
      schedule(() -> {
        if (registry.endSwitch(c) && !closed.get()) view.show(new ChatEvent.PeerLeft(c.nick(), reason));
      }, config.handshakeTimeout());
    }
    if (closed.get()) return;
    if (removed == PeerRegistry.Removed.LEFT) {
      view.show(new ChatEvent.PeerLeft(c.nick(), reason));
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
