package dev.p2pchat.upnp.cli;

import dev.p2pchat.upnp.DurationText;
import dev.p2pchat.upnp.IpLiteral;
import dev.p2pchat.upnp.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed command line. Options may come before or after the command; {@code --name=value}
 * and {@code --name value} are both accepted.
 *
 * @param command status, list, add or delete; "help" or "version" for those flags
 * @param ports the command's port arguments, already range-checked
 * @param gateway description URL given with --gateway, or null to discover one
 * @param searchAddress unicast target given with --search-address, or null for multicast
 * @param noCache --no-cache: search without trying the router remembered from last time
 * @param via --via: auto, upnp, natpmp or pcp
 * @param pcpAddress where NAT-PMP and PCP are sent (--pcp-address), or null for the default
 *     gateway's port 5351
 */
record Options(String command, List<Integer> ports, URI gateway, InetSocketAddress searchAddress,
    Duration timeout, boolean verbose, Protocol protocol, Duration lease, String description,
    boolean noCache, String via, InetSocketAddress pcpAddress) {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration DEFAULT_LEASE = Duration.ofHours(1);
  static final String DEFAULT_DESCRIPTION = "upnp-tool";

  /** The command line could not be understood; the message says why, for people. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static Options parse(String... args) throws UsageException {
    List<String> words = new ArrayList<>();
    URI gateway = null;
    InetSocketAddress searchAddress = null;
    Duration timeout = DEFAULT_TIMEOUT;
    boolean verbose = false;
    boolean noCache = false;
    boolean udp = false;
    Duration lease = null;
    String description = null;
    String via = "upnp"; // the tool's behaviour before NAT-PMP and PCP
    InetSocketAddress pcpAddress = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          return special("help");
        }
        case "--version" -> {
          return special("version");
        }
        case "-v", "--verbose" -> verbose = true;
        case "--no-cache" -> noCache = true;
        case "--udp" -> udp = true;
        case "--tcp" -> udp = false;
        case "--gateway", "--timeout", "--search-address", "--lease", "--description", "--via",
            "--pcp-address" -> {
          if (value == null) {
            if (i + 1 == args.length) throw new UsageException(name + " needs a value");
            value = args[++i];
          }
          switch (name) {
            case "--gateway" -> gateway = url(value);
            case "--timeout" -> timeout = duration(name, value, true);
            case "--search-address" -> searchAddress = hostAndPort(value);
            case "--pcp-address" -> pcpAddress = hostAndPort(value);
            case "--via" -> {
              if (!List.of("auto", "upnp", "natpmp", "pcp").contains(value)) {
                throw new UsageException("--via wants auto, upnp, natpmp or pcp, not " + value);
              }
              via = value;
            }
            case "--lease" -> {
              lease = duration(name, value, false);
              if (lease.getNano() != 0) {
                throw new UsageException("--lease wants whole seconds: " + value);
              }
            }
            default -> description = value;
          }
        }
        default -> {
          if (arg.startsWith("-") && arg.length() > 1) {
            throw new UsageException("unknown option " + arg);
          }
          words.add(arg);
        }
      }
    }
    if (words.isEmpty()) throw new UsageException("no command given");
    String command = words.get(0);
    List<String> rest = words.subList(1, words.size());
    switch (command) {
      case "status", "list" -> expect(command, rest, 0, 0);
      case "add" -> expect(command, rest, 1, 2);
      case "delete" -> expect(command, rest, 1, 1);
      default -> throw new UsageException("unknown command " + command);
    }
    if (!command.equals("add") && (lease != null || description != null)) {
      throw new UsageException("--lease and --description only go with add");
    }
    if (!command.equals("add") && !command.equals("delete") && udp) {
      throw new UsageException("--udp only goes with add and delete");
    }
    if (gateway != null && searchAddress != null) {
      throw new UsageException(
          "--gateway skips the search; --search-address makes no sense with it");
    }
    if (command.equals("list") && (via.equals("natpmp") || via.equals("pcp"))) {
      throw new UsageException("NAT-PMP and PCP cannot list a router's mappings: list is UPnP only");
    }
    if (command.equals("delete") && via.equals("pcp")) {
      throw new UsageException("a PCP mapping can only be deleted with the nonce of the request"
          + " that made it (RFC 6887): use --via natpmp, or let its lease run out");
    }
    List<Integer> ports = new ArrayList<>();
    for (String word : rest) ports.add(port(word));
    return new Options(command, List.copyOf(ports), gateway, searchAddress, timeout, verbose,
        udp ? Protocol.UDP : Protocol.TCP, lease == null ? DEFAULT_LEASE : lease,
        description == null ? DEFAULT_DESCRIPTION : description, noCache, via, pcpAddress);
  }

  private static Options special(String command) {
    return new Options(command, List.of(), null, null, DEFAULT_TIMEOUT, false, Protocol.TCP,
        DEFAULT_LEASE, DEFAULT_DESCRIPTION, false, "upnp", null);
  }

  private static void expect(String command, List<String> args, int min, int max)
      throws UsageException {
    if (args.size() < min) throw new UsageException(command + " needs a port");
    if (args.size() > max) {
      throw new UsageException("too many arguments for " + command + ": " + String.join(" ", args));
    }
  }

  private static int port(String text) throws UsageException {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("not a port (1-65535): " + text);
  }

  /** A duration as {@link DurationText} reads it; above zero if {@code positive}. */
  static Duration duration(String option, String text, boolean positive) throws UsageException {
    try {
      Duration d = DurationText.parse(text);
      if (!positive || !d.isZero()) return d;
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
    throw new UsageException(option + " must be above zero: " + text);
  }

  private static URI url(String text) throws UsageException {
    try {
      URI uri = new URI(text);
      if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) return uri;
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException("--gateway wants the http:// URL of the router's description, e.g."
        + " http://192.168.1.1:5000/rootDesc.xml: " + text);
  }

  private static InetSocketAddress hostAndPort(String text) throws UsageException {
    int colon = text.lastIndexOf(':');
    if (colon > 0) {
      InetAddress address = IpLiteral.parse(text.substring(0, colon));
      try {
        if (address != null) return new InetSocketAddress(address, port(text.substring(colon + 1)));
      } catch (UsageException e) {
        // reported below
      }
    }
    throw new UsageException("--search-address wants IP:PORT, e.g. 127.0.0.1:1900: " + text);
  }
}
