package dev.p2pchat.upnp;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SSDP M-SEARCH requests for Internet Gateway Devices and yields each LOCATION that
 * answers, once, when we are willing to fetch it. Multicast goes out of every usable IPv4
 * interface; a unicast target gets the search only from one socket facing it. UDP drops, so the
 * search is repeated a few times early on; all channels are watched by one selector.
 */
final class SsdpSearch implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(SsdpSearch.class);
  static final List<String> SEARCH_TARGETS = List.of(
      "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
      "urn:schemas-upnp-org:device:InternetGatewayDevice:2",
      "urn:schemas-upnp-org:service:WANIPConnection:1",
      "urn:schemas-upnp-org:service:WANIPConnection:2",
      "urn:schemas-upnp-org:service:WANPPPConnection:1");
  /** When each round of M-SEARCH goes out, in ms after the start. */
  private static final long[] ROUNDS_MS = {0, 100, 300};
  /**
   * How many of the search targets each round asks for. Every IGD answers a device search, and
   * each extra search is work a router does before it serves our description request, so the
   * first round asks only for the devices; the repeats add the services, for devices that
   * answer only those.
   */
  private static final int[] TARGETS_PER_ROUND = {2, 5, 5};
  /** How long devices may wait before answering (MX), in seconds. */
  static final int MX_SECONDS = 1;
  /** A LAN with more distinct accepted LOCATIONs than this is hostile; ignore the rest. */
  private static final int MAX_LOCATIONS = 32;
  /** No one sender may use up the others' share of LOCATIONs. */
  private static final int MAX_LOCATIONS_PER_SENDER = 4;
  /** Refused (sender, LOCATION) pairs remembered so each is logged once. */
  private static final int MAX_REFUSED = 64;

  /** A device that answered, with a LOCATION on the address the answer came from. */
  record Answer(URI location, InetAddress from) {}

  private final InetSocketAddress target;
  private final Selector selector;
  private final List<DatagramChannel> channels;
  private final List<ByteBuffer> requests;
  /** LOCATIONs accepted: each is on its sender's address, so it names the sender too. */
  private final Set<String> acceptedLocations = new HashSet<>();
  private final Map<InetAddress, Integer> acceptedPerSender = new HashMap<>();
  private final Set<String> refused = new HashSet<>();
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(8192);
  private final long startNanos = System.nanoTime();
  private int roundsSent;
  private volatile boolean wakeupRequested;

  private SsdpSearch(InetSocketAddress target, Selector selector, List<DatagramChannel> channels) {
    this.target = target;
    this.selector = selector;
    this.channels = channels;
    List<ByteBuffer> requests = new ArrayList<>();
    String host = target.getAddress().getHostAddress() + ":" + target.getPort();
    for (String st : SEARCH_TARGETS) {
      String request = "M-SEARCH * HTTP/1.1\r\n"
          + "HOST: " + host + "\r\n"
          + "MAN: \"ssdp:discover\"\r\n"
          + "MX: " + MX_SECONDS + "\r\n"
          + "ST: " + st + "\r\n"
          + "\r\n";
      requests.add(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }
    this.requests = requests;
  }

  /** Opens the sockets and sends the first round of searches to {@code target}. */
  static SsdpSearch start(InetSocketAddress target) throws IOException {
    if (target.isUnresolved()) throw new IOException("unresolved search address " + target);
    Selector selector = Selector.open();
    List<DatagramChannel> channels = new ArrayList<>();
    try {
      if (target.getAddress().isMulticastAddress()) {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) continue;
          for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
            if (!(ia.getAddress() instanceof Inet4Address)) continue;
            DatagramChannel channel = open(selector, channels, ia.getAddress(), ia);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 2);
          }
        }
      } else {
        open(selector, channels, localAddressFacing(target.getAddress()), null);
      }
      SsdpSearch search = new SsdpSearch(target, selector, channels);
      search.sendDueRounds();
      return search;
    } catch (IOException | RuntimeException e) {
      for (DatagramChannel c : channels) c.close();
      selector.close();
      throw e;
    }
  }

  private static DatagramChannel open(Selector selector, List<DatagramChannel> channels,
      InetAddress bindAddress, InterfaceAddress lan) throws IOException {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    channels.add(channel);
    channel.bind(new InetSocketAddress(bindAddress, 0));
    channel.configureBlocking(false);
    channel.register(selector, SelectionKey.OP_READ, lan);
    return channel;
  }

  /** For a unicast target: loopback for loopback, else the interface whose subnet holds it. */
  private static InetAddress localAddressFacing(InetAddress target) throws IOException {
    if (target.isLoopbackAddress()) return InetAddress.getLoopbackAddress();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
        if (ia.getAddress() instanceof Inet4Address && sameSubnet(ia, target)) return ia.getAddress();
      }
    }
    return new InetSocketAddress(0).getAddress(); // let routing pick
  }

  private static boolean sameSubnet(InterfaceAddress lan, InetAddress other) {
    byte[] a = lan.getAddress().getAddress();
    byte[] b = other.getAddress();
    if (a.length != b.length) return false;
    int bits = lan.getNetworkPrefixLength();
    for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
  }

  /**
   * Whether a device at {@code host} could answer a search to {@code target}: for multicast, it
   * is on the subnet of an interface the search goes out of; for unicast, it is the target — or,
   * for a loopback target (test fakes), any loopback address, the loopback network.
   */
  static boolean isSearchedNetwork(InetAddress host, InetSocketAddress target) throws IOException {
    InetAddress to = target.getAddress();
    if (!to.isMulticastAddress()) return isUnicastTarget(host, to);
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) continue;
      for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
        if (ia.getAddress() instanceof Inet4Address && sameSubnet(ia, host)) return true;
      }
    }
    return false;
  }

  /** Number of sockets searching; 0 means no usable interface. */
  int channelCount() {
    return channels.size();
  }

  /** Describes where the search went, for messages. */
  String describeTarget() {
    if (!target.getAddress().isMulticastAddress()) {
      return "at " + target.getAddress().getHostAddress() + ":" + target.getPort();
    }
    return "by multicast on " + channels.size() + " interface address(es)";
  }

  /**
   * Waits until {@code deadlineNanos} for the next new device, sending due repeats meanwhile.
   *
   * @return the device, or null at the deadline or when {@link #wakeup()} was called
   */
  Answer next(long deadlineNanos) throws IOException {
    while (true) {
      Answer answer = receiveReady();
      if (answer != null) return answer;
      long now = System.nanoTime();
      if (wokenUp() || now - deadlineNanos >= 0) return null;
      long wait = deadlineNanos - now;
      if (roundsSent < ROUNDS_MS.length) {
        wait = Math.min(wait, startNanos + ROUNDS_MS[roundsSent] * 1_000_000 - now);
      }
      if (wait <= 0) {
        selector.selectNow();
      } else {
        selector.select(Math.max(1, wait / 1_000_000));
      }
      sendDueRounds();
    }
  }

  /** Makes a blocked {@link #next} return null soon; safe from any thread. */
  void wakeup() {
    wakeupRequested = true;
    selector.wakeup();
  }

  private boolean wokenUp() {
    if (!wakeupRequested) return false;
    wakeupRequested = false;
    return true;
  }

  private void sendDueRounds() throws IOException {
    long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
    while (roundsSent < ROUNDS_MS.length && ROUNDS_MS[roundsSent] <= elapsedMs) {
      int targets = TARGETS_PER_ROUND[roundsSent];
      for (DatagramChannel channel : channels) {
        if (log.isDebugEnabled()) {
          log.debug("M-SEARCH * HTTP/1.1 to {}:{} from {} (round {}, MX {}): ST {}",
              target.getAddress().getHostAddress(), target.getPort(),
              ((InetSocketAddress) channel.getLocalAddress()).getAddress().getHostAddress(),
              roundsSent + 1, MX_SECONDS, String.join(", ", SEARCH_TARGETS.subList(0, targets)));
        }
        for (ByteBuffer request : requests.subList(0, targets)) {
          try {
            channel.send(request.duplicate(), target);
          } catch (IOException e) {
            log.debug("M-SEARCH from {} failed: {}", channel.getLocalAddress(), e.toString());
          }
        }
      }
      roundsSent++;
    }
  }

  private Answer receiveReady() throws IOException {
    var keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      DatagramChannel channel = (DatagramChannel) key.channel();
      receiveBuffer.clear();
      SocketAddress sender;
      try {
        sender = channel.receive(receiveBuffer);
      } catch (IOException e) { // e.g. ICMP port unreachable from a unicast target
        log.debug("SSDP receive on {} failed: {}", channel.getLocalAddress(), e.toString());
        keys.remove();
        continue;
      }
      if (sender == null) {
        keys.remove();
        continue;
      }
      // leave the key selected: more datagrams may be queued on this channel
      Answer answer = accept((InetSocketAddress) sender, (InterfaceAddress) key.attachment());
      if (answer != null) return answer;
    }
    return null;
  }

  private Answer accept(InetSocketAddress sender, InterfaceAddress lan) {
    SsdpMessage message = SsdpMessage.parse(receiveBuffer.array(), 0, receiveBuffer.position());
    if (message == null || !message.isSearchResponse()) return null;
    // A device answers once per search target and round, and miniupnpd gives its device and
    // service answers different USNs (each embedded device has its own uuid): one description
    // is one device, so judge each LOCATION once — per sender, and remember only accepted ones,
    // so a LAN device that answers first with the router's LOCATION cannot hide the router.
    String text = message.location();
    InetAddress from = sender.getAddress();
    String pair = from.getHostAddress() + " " + text;
    if (acceptedLocations.contains(text) || refused.contains(pair)) return null;
    int fromSender = acceptedPerSender.getOrDefault(from, 0);
    if (acceptedLocations.size() == MAX_LOCATIONS || fromSender == MAX_LOCATIONS_PER_SENDER) {
      return null;
    }
    URI location = acceptableLocation(text, from, lan);
    if (location == null) {
      if (refused.size() < MAX_REFUSED) refused.add(pair);
      return null;
    }
    acceptedLocations.add(text);
    acceptedPerSender.put(from, fromSender + 1);
    log.debug("SSDP answer from {}: {}", from.getHostAddress(), location);
    return new Answer(location, from);
  }

  /**
   * The LOCATION as a URI if we are willing to fetch it: http, on the very address the answer
   * came from, and that address on the searched network. Else null, and the reason logged.
   */
  private URI acceptableLocation(String text, InetAddress from, InterfaceAddress lan) {
    String sender = from.getHostAddress();
    URI location;
    try {
      location = new URI(text);
    } catch (URISyntaxException e) {
      log.info("ignoring SSDP answer from {}: bad LOCATION \"{}\"", sender, text);
      return null;
    }
    if (!"http".equalsIgnoreCase(location.getScheme())) {
      log.info("ignoring SSDP answer from {}: LOCATION is not http:// ({})", sender, text);
      return null;
    }
    InetAddress host = IpLiteral.parse(location.getHost());
    if (host == null || !host.equals(from)) {
      log.warn("ignoring SSDP answer from {}: its LOCATION {} points to another host;"
          + " a device on the LAN must not send us to arbitrary URLs", sender, text);
      return null;
    }
    if (lan != null ? !sameSubnet(lan, from) : !isUnicastTarget(from, target.getAddress())) {
      log.warn("ignoring SSDP answer from {}: not on the searched network", sender);
      return null;
    }
    return location;
  }

  private static boolean isUnicastTarget(InetAddress host, InetAddress target) {
    return target.isLoopbackAddress() ? host.isLoopbackAddress() : host.equals(target);
  }

  @Override
  public void close() throws IOException {
    for (DatagramChannel channel : channels) channel.close();
    selector.close();
  }
}
