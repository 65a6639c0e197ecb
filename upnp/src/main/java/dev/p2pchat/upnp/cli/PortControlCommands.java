package dev.p2pchat.upnp.cli;

import dev.p2pchat.upnp.AddressKind;
import dev.p2pchat.upnp.DefaultGateway;
import dev.p2pchat.upnp.MappingProtocol;
import dev.p2pchat.upnp.PortMapper;
import dev.p2pchat.upnp.ProbeResult;
import dev.p2pchat.upnp.natpmp.MapAnswer;
import dev.p2pchat.upnp.natpmp.MappingClient;
import dev.p2pchat.upnp.natpmp.NatPmpClient;
import dev.p2pchat.upnp.natpmp.PcpClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The commands with {@code --via} other than UPnP alone: {@code status} asks each protocol at
 * once and says which answered and how fast; {@code add} maps with the preferred one that
 * answered (PCP, NAT-PMP, then UPnP); {@code delete} with NAT-PMP. What is UPnP's goes to
 * {@link Commands}.
 */
final class PortControlCommands {
  /** Longest answer or error text shown per protocol (router-supplied text may be in it). */
  private static final int DETAIL_TEXT = 200;
  private final Options options;
  private final PrintStream out;
  private final PrintStream err;
  private final Commands upnp;
  private final Set<MappingProtocol> via;

  PortControlCommands(Options options, PrintStream out, PrintStream err, Commands upnp,
      Set<MappingProtocol> via) {
    this.options = options;
    this.out = out;
    this.err = err;
    this.upnp = upnp;
    this.via = via;
  }

  /**
   * The protocols {@code --via} names; {@code auto} is all three, but UPnP only when
   * {@code --gateway} or {@code --search-address} points at a UPnP device and no
   * {@code --pcp-address} says where NAT-PMP and PCP would go.
   */
  static Set<MappingProtocol> protocols(Options options) {
    return switch (options.via()) {
      case "upnp" -> EnumSet.of(MappingProtocol.UPNP);
      case "natpmp" -> EnumSet.of(MappingProtocol.NAT_PMP);
      case "pcp" -> EnumSet.of(MappingProtocol.PCP);
      default -> (options.gateway() != null || options.searchAddress() != null)
          && options.pcpAddress() == null ? EnumSet.of(MappingProtocol.UPNP)
          : EnumSet.allOf(MappingProtocol.class);
    };
  }

  int execute() throws IOException {
    switch (options.command()) {
      case "status":
        return status();
      case "add":
        return add();
      case "delete":
        if (via.contains(MappingProtocol.UPNP)) return upnp.executeUpnp();
        int port = options.ports().get(0);
        new NatPmpClient(server()).timeout(options.timeout()).delete(options.protocol(), port);
        out.println("✓ deleted the NAT-PMP mapping of " + options.protocol() + " port " + port
            + " of " + localAddress().getHostAddress());
        return UpnpTool.OK;
      default: // list
        return upnp.executeUpnp();
    }
  }

  private int status() throws IOException {
    List<ProbeResult> answers = probe();
    for (ProbeResult r : answers) {
      upnp.line(r.protocol().toString(), (r.answered() ? "answered in " : "no answer after ")
          + ms(r) + " (" + Commands.text(r.detail(), DETAIL_TEXT) + ")");
    }
    if (answers.stream().noneMatch(ProbeResult::answered)) {
      err.println("error: no router answered " + names() + " within "
          + options.timeout().toMillis() + " ms");
      return UpnpTool.NO_GATEWAY;
    }
    boolean upnpAnswered = answers.stream()
        .anyMatch(r -> r.answered() && r.protocol() == MappingProtocol.UPNP);
    return upnpAnswered ? upnp.executeUpnp() : UpnpTool.OK; // then UPnP's own lines follow
  }

  private int add() throws IOException {
    MappingProtocol chosen = via.iterator().next();
    if (via.size() > 1) {
      List<ProbeResult> answers = probe();
      Optional<ProbeResult> first = answers.stream().filter(ProbeResult::answered).findFirst();
      if (first.isEmpty()) {
        for (ProbeResult r : answers) err.println(r);
        err.println("error: no router answered " + names());
        return UpnpTool.NO_GATEWAY;
      }
      chosen = first.get().protocol();
    }
    if (chosen == MappingProtocol.UPNP) return upnp.executeUpnp();
    InetSocketAddress server = server();
    MappingClient client = chosen == MappingProtocol.PCP ? new PcpClient(server)
        : new NatPmpClient(server);
    int internal = options.ports().get(0);
    int external = options.ports().size() > 1 ? options.ports().get(1) : internal;
    long lease = options.lease().isZero() ? 7200 : options.lease().getSeconds();
    if (options.lease().isZero()) err.println("note: " + chosen + " has no permanent mappings;"
        + " asking for " + lease + " s");
    MapAnswer m = client.timeout(options.timeout()).map(options.protocol(), internal, external, lease);
    out.println("✓ mapped " + options.protocol() + " " + m.externalAddress().getHostAddress() + ":"
        + m.externalPort() + " → " + localAddress().getHostAddress() + ":" + internal + " with "
        + chosen + " (lease " + m.lifetimeSeconds() + " s)");
    AddressKind kind = AddressKind.of(m.externalAddress());
    if (kind != AddressKind.PUBLIC) err.println("note: " + kind.explanation());
    return UpnpTool.OK;
  }

  private List<ProbeResult> probe() {
    upnp.progress("Asking your router (" + names() + ")…");
    InetSocketAddress server = via.contains(MappingProtocol.PCP)
        || via.contains(MappingProtocol.NAT_PMP) ? serverOrNull() : null;
    return PortMapper.using(server, upnp.finder()).via(via.toArray(MappingProtocol[]::new))
        .timeout(options.timeout()).probe();
  }

  private InetSocketAddress server() throws IOException {
    InetSocketAddress server = serverOrNull();
    if (server == null) {
      throw new IOException("no default gateway in this system's routing table to send "
          + "NAT-PMP or PCP to");
    }
    return server;
  }

  private InetSocketAddress serverOrNull() {
    if (options.pcpAddress() != null) return options.pcpAddress();
    return DefaultGateway.ipv4().map(a -> new InetSocketAddress(a, NatPmpClient.PORT)).orElse(null);
  }

  /** Our address as the router sees it (no packet is sent to learn it). */
  private InetAddress localAddress() throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(server());
      return s.getLocalAddress();
    }
  }

  private String names() {
    return String.join(", ", via.stream().map(MappingProtocol::toString).toList());
  }

  private static String ms(ProbeResult r) {
    return String.format(Locale.ROOT, "%.1f ms", r.took().toNanos() / 1e6);
  }
}
