package dev.p2pchat.upnp.cli;

import dev.p2pchat.upnp.AddressKind;
import dev.p2pchat.upnp.ConnectionStatus;
import dev.p2pchat.upnp.Gateway;
import dev.p2pchat.upnp.DefaultGateway;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.MappingProtocol;
import dev.p2pchat.upnp.PortMappingEntry;
import dev.p2pchat.upnp.Protocol;
import dev.p2pchat.upnp.SoapFaultException;
import dev.p2pchat.upnp.UpnpException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tool's commands, run against the gateway the options point to. */
final class Commands {
  private static final Logger log = LoggerFactory.getLogger(Commands.class);
  /** Longest router-supplied text we print in a table cell. */
  private static final int MAX_TEXT = 60;

  /** A router action, asked when the finder did not already ask it. */
  private interface Action<T> {
    T call() throws IOException;
  }

  private final Options options;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean progress;
  /** Where the router found is remembered between runs; null for nowhere. */
  private final Path cacheFile;

  Commands(Options options, PrintStream out, PrintStream err, boolean progress, Path cacheFile) {
    this.options = options;
    this.out = out;
    this.err = err;
    this.progress = progress;
    this.cacheFile = cacheFile;
  }

  /** Runs the command; returns the exit status, or throws when the router failed us. */
  int execute() throws IOException {
    Set<MappingProtocol> via = PortControlCommands.protocols(options);
    if (via.equals(EnumSet.of(MappingProtocol.UPNP))) return executeUpnp();
    return new PortControlCommands(options, out, err, this, via).execute();
  }

  /** Runs the command over UPnP. */
  int executeUpnp() throws IOException {
    long start = System.nanoTime();
    Gateway gateway;
    if (options.gateway() != null) {
      progress("Asking the router at " + options.gateway() + "…");
      gateway = GatewayFinder.atLocation(options.gateway(), options.timeout());
    } else {
      try {
        gateway = search();
      } catch (UpnpException e) { // what findOrThrow says when no usable gateway answered
        err.println("error: " + e.getMessage());
        return UpnpTool.NO_GATEWAY;
      }
    }
    log.debug("using {} (control URL {}, our address {}) after {} ms", gateway,
        gateway.controlUrl(), gateway.localAddress().getHostAddress(), millis(start));
    switch (options.command()) {
      case "status" -> status(gateway);
      case "list" -> list(gateway);
      case "add" -> add(gateway);
      case "delete" -> delete(gateway);
      default -> throw new IllegalStateException("unknown command " + options.command());
    }
    return UpnpTool.OK;
  }

  private Gateway search() throws IOException {
    progress("Searching for your router…");
    return finder().findOrThrow();
  }

  /** The UPnP search as the options say: unicast or multicast, with the remembered router. */
  GatewayFinder finder() {
    GatewayFinder finder = new GatewayFinder().timeout(options.timeout());
    InetSocketAddress target = options.searchAddress();
    if (target != null) {
      finder = finder.searchAddress(target);
    } else {
      finder = DefaultGateway.ipv4().map(finder::defaultGateway).orElse(finder);
    }
    if (cacheFile != null) finder = finder.remembered(cacheFile);
    return finder;
  }

  private void status(Gateway gateway) throws IOException {
    line("Gateway", text(gateway.friendlyName().isEmpty() ? "(no name)" : gateway.friendlyName()));
    line("Location", gateway.location().toString());
    line("Service", gateway.serviceType());
    line("Control URL", gateway.controlUrl().toString());
    line("Local address", gateway.localAddress().getHostAddress());
    String connection;
    try {
      ConnectionStatus s = known("GetStatusInfo", gateway.statusInfoWhenFound(),
          gateway::statusInfo);
      connection = text(s.status()) + ", up " + s.uptimeSeconds() + " s"
          + (s.lastError().isEmpty() || s.lastError().equals("ERROR_NONE")
              ? "" : ", last error " + text(s.lastError()));
    } catch (SoapFaultException e) {
      connection = "unknown (" + refusal(e) + ")";
    }
    line("Connection", connection);
    String type;
    try {
      type = text(gateway.connectionTypeInfo());
    } catch (SoapFaultException e) {
      type = "unknown (" + refusal(e) + ")";
    }
    line("Type", type);
    InetAddress external = known("GetExternalIPAddress", gateway.externalIpAddressWhenFound(),
        gateway::externalIpAddress);
    line("External IP", external == null ? "none" : external.getHostAddress());
    AddressKind kind = AddressKind.of(external);
    line("NAT", kind.name().toLowerCase(Locale.ROOT) + ": " + kind.explanation());
  }

  private void list(Gateway gateway) throws IOException {
    List<PortMappingEntry> entries = gateway.portMappings();
    if (entries.isEmpty()) {
      out.println("no port mappings");
      return;
    }
    boolean remote = entries.stream().anyMatch(e -> !e.remoteHost().isEmpty());
    String format = "%-5s %-8s %-21s %-10s " + (remote ? "%-15s " : "%s") + "%s%n";
    out.printf(format, "PROTO", "EXTERNAL", "INTERNAL", "LEASE", remote ? "REMOTE HOST" : "",
        "DESCRIPTION");
    for (PortMappingEntry e : entries) {
      out.printf(format, e.protocol(), e.externalPort(),
          text(e.internalClient()) + ":" + e.internalPort(), lease(e.leaseSeconds()),
          remote ? text(e.remoteHost().isEmpty() ? "any" : e.remoteHost()) : "",
          text(e.description()) + (e.enabled() ? "" : " (disabled)"));
    }
  }

  private void add(Gateway gateway) throws IOException {
    int internal = options.ports().get(0);
    int external = options.ports().size() > 1 ? options.ports().get(1) : internal;
    Protocol protocol = options.protocol();
    String client = gateway.localAddress().getHostAddress();
    PortMappingEntry request = PortMappingEntry.of(protocol, external, client, internal,
        options.description(), (int) options.lease().getSeconds());
    // miniupnpd would let us replace any mapping to this host, a chat node's or another forward
    Optional<PortMappingEntry> before = gateway.specificPortMappingEntry(external, protocol);
    if (before.isPresent() && !before.get().sameHolder(request)) {
      PortMappingEntry other = before.get();
      throw new UpnpException("external " + protocol + " port " + external + " is already mapped"
          + " to " + text(other.internalClient()) + ":" + other.internalPort() + " ("
          + text(other.description()) + "); not taking it over: choose another external port");
    }
    gateway.addPortMapping(request);
    PortMappingEntry held = gateway.specificPortMappingEntry(external, protocol).orElseThrow(
            () -> new UpnpException("router at " + gateway.location().getAuthority()
                + " accepted the mapping of " + protocol + " port " + external
                + " but does not list it"));
    if (!held.internalClient().equals(client) || held.internalPort() != internal) {
      throw new UpnpException("router at " + gateway.location().getAuthority() + " maps "
          + protocol + " port " + external + " to " + text(held.internalClient()) + ":"
          + held.internalPort() + ", not to " + client + ":" + internal);
    }
    InetAddress address = known("GetExternalIPAddress", gateway.externalIpAddressWhenFound(),
        gateway::externalIpAddress);
    out.println("✓ mapped " + protocol + " " + (address == null ? "(no external address)"
        : address.getHostAddress()) + ":" + external + " → " + client + ":" + internal
        + " (" + (held.leaseSeconds() == 0 ? "permanent" : "lease " + held.leaseSeconds() + " s")
        + ")");
    AddressKind kind = AddressKind.of(address);
    if (kind != AddressKind.PUBLIC) err.println("note: " + kind.explanation());
  }

  /**
   * Deletes after checking the mapping exists: miniupnpd 2.3 with nftables answers
   * DeletePortMapping of a port it never mapped with success, not 714.
   */
  private void delete(Gateway gateway) throws IOException {
    int external = options.ports().get(0);
    Protocol protocol = options.protocol();
    Optional<PortMappingEntry> held = gateway.specificPortMappingEntry(external, protocol);
    if (held.isEmpty()) {
      throw new UpnpException("router at " + gateway.location().getAuthority() + " has no mapping"
          + " of external " + protocol + " port " + external);
    }
    gateway.deletePortMapping(external, protocol);
    PortMappingEntry e = held.get();
    out.println("✓ deleted " + protocol + " " + external + " → " + text(e.internalClient()) + ":"
        + e.internalPort() + " (" + text(e.description()) + ")");
  }

  /**
   * One line about a refusal: {@code router refused AddPortMapping: 718 ConflictInMappingEntry}
   * and, for the refusals people meet, what it means for this command.
   */
  static String explain(SoapFaultException e, Options options) {
    String port = options.ports().isEmpty() ? "" : options.protocol() + " port "
        + (options.ports().size() > 1 ? options.ports().get(1) : options.ports().get(0));
    String hint = switch (e.errorCode()) {
      case SoapFaultException.CONFLICT_IN_MAPPING_ENTRY ->
          port.isEmpty() ? "" : "external " + port + " is mapped to another host or port";
      case SoapFaultException.NO_SUCH_ENTRY_IN_ARRAY ->
          port.isEmpty() ? "" : "there is no mapping of external " + port;
      case SoapFaultException.ONLY_PERMANENT_LEASES_SUPPORTED ->
          "this router only makes permanent mappings: add --lease 0";
      case SoapFaultException.SAME_PORT_VALUES_REQUIRED ->
          "this router wants the external port equal to the internal one";
      case SoapFaultException.ACTION_NOT_AUTHORIZED ->
          "the router does not allow it: is UPnP port forwarding enabled in its settings?";
      default -> "";
    };
    return refusal(e) + (hint.isEmpty() ? "" : " (" + hint + ")");
  }

  private static String refusal(SoapFaultException e) {
    return "router refused " + e.action()
        + (e.errorCode() == -1 ? "" : ": " + e.errorCode())
        + (e.errorDescription().isEmpty() ? "" : (e.errorCode() == -1 ? ": " : " ")
            + text(e.errorDescription()));
  }

  /** What the router answered to {@code action} while it was being found, else asks it now. */
  private <T> T known(String action, Optional<T> answered, Action<T> call) throws IOException {
    if (answered.isEmpty()) return call.call();
    log.debug("{}: {} (answered while finding the router)", action, shown(answered.get()));
    return answered.get();
  }

  /** An answer the finder already had, for {@code -v}. */
  private static String shown(Object result) {
    if (result instanceof InetAddress a) return a.getHostAddress();
    if (result instanceof ConnectionStatus c) {
      return c.status() + ", up " + c.uptimeSeconds() + " s, last error " + c.lastError();
    }
    return String.valueOf(result);
  }

  void line(String label, String value) {
    out.printf("%-14s %s%n", label + ":", value);
  }

  void progress(String message) {
    if (progress) err.println(message);
  }

  private static String lease(int seconds) {
    return seconds == 0 ? "permanent" : seconds + " s";
  }

  /** Router-supplied text made safe to print: no control characters, bounded length. */
  static String text(String s) {
    return text(s, MAX_TEXT);
  }

  /** As {@link #text(String)}, at most {@code max} characters. */
  static String text(String s, int max) {
    StringBuilder clean = new StringBuilder(Math.min(s.length(), max + 1));
    for (int i = 0; i < s.length() && clean.length() <= max; i++) {
      char c = s.charAt(i);
      clean.append(Character.isISOControl(c) ? '?' : c);
    }
    return clean.length() > max ? clean.substring(0, max - 1) + "…" : clean.toString();
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
