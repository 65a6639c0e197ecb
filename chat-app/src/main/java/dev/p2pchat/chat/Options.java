package dev.p2pchat.chat;

import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Nicknames;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line. {@link #parse} does not log (logging is configured from the result) and does
 * not touch the network.
 *
 * @param port the listening port, or null for {@link NodeConfig#DEFAULT_PORT} with fallback
 * @param gateway the router's description URL given with {@code --gateway}, or null to search
 * @param logFile where logs go, or null for the default
 * @param pingInterval null for the default, likewise {@code deadAfter} and {@code ackTimeout}
 */
record Options(String nick, Integer port, int externalPort, boolean upnp, URI gateway,
    List<HostPort> connect, boolean verbose, Path logFile, boolean help, boolean version,
    Duration pingInterval, Duration deadAfter, Duration ackTimeout) {

  static final String USAGE = String.join("\n",
      "Usage: java -jar p2p-chat.jar [options]",
      "  --nick NAME          your nickname (default: your login name)",
      "  --port N             listening TCP port (default " + NodeConfig.DEFAULT_PORT
          + ", or any free port if that one is busy)",
      "  --external-port N    port to ask the router for (default: the listening port)",
      "  --no-port-mapping    do not ask the router to forward a port (--no-upnp is the same)",
      "  --gateway URL        use UPnP with the router whose description is at URL instead of searching",
      "  --connect IP:PORT    dial a peer at start-up (may be repeated)",
      "  --log-file PATH      where logs go (default ~/.p2p-chat/p2p-chat.log; a second node -2.log)",
      "  -v, --verbose        log to standard error, at debug level",
      "  --ping-interval D    keepalive ping interval (default 5s; D is like 500ms, 5s, 2m)",
      "  --dead-after D       drop a peer that has been silent this long (default 15s)",
      "  --ack-timeout D      report a line not acknowledged within this (default 5s)",
      "  --help               show this help",
      "  --version            show the version");

  /** Parses {@code args}; throws with a one-line message when they are wrong. */
  static Options parse(String[] args) throws UsageException {
    String nick = null;
    Integer port = null;
    int externalPort = 0;
    boolean upnp = true;
    URI gateway = null;
    List<HostPort> connect = new ArrayList<>();
    boolean verbose = false;
    Path logFile = null;
    boolean help = false;
    boolean version = false;
    Duration ping = null;
    Duration dead = null;
    Duration ack = null;

    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "--help":
        case "-h":
          help = true;
          break;
        case "--version":
          version = true;
          break;
        case "-v":
        case "--verbose":
          verbose = true;
          break;
        case "--no-port-mapping":
        case "--no-upnp": // its name before NAT-PMP and PCP
          upnp = false;
          break;
        default:
          if (!takesValue(arg)) throw new UsageException("unknown option " + arg);
          if (value == null) {
            if (i + 1 >= args.length) throw new UsageException(arg + " needs a value");
            value = args[++i];
          }
          switch (arg) {
            case "--nick":
              Optional<String> problem = Nicknames.problem(value);
              if (problem.isPresent()) throw new UsageException("--nick: " + problem.get());
              nick = value;
              break;
            case "--port":
              port = port(arg, value, 0);
              break;
            case "--external-port":
              externalPort = port(arg, value, 1);
              break;
            case "--gateway":
              gateway = url(value);
              break;
            case "--connect":
              Optional<String> bad = HostPort.problem(value);
              if (bad.isPresent()) throw new UsageException("--connect: " + bad.get());
              connect.add(HostPort.parse(value));
              break;
            case "--log-file":
              logFile = Path.of(value);
              break;
            case "--ping-interval":
              ping = duration(arg, value);
              break;
            case "--dead-after":
              dead = duration(arg, value);
              break;
            case "--ack-timeout":
              ack = duration(arg, value);
              break;
            default:
              throw new AssertionError(arg);
          }
      }
    }
    NodeConfig defaults = NodeConfig.builder("anon").build();
    Duration effectivePing = ping != null ? ping : defaults.pingInterval();
    Duration effectiveDead = dead != null ? dead : defaults.deadAfter();
    if (effectiveDead.compareTo(effectivePing) <= 0) {
      throw new UsageException("--dead-after must be longer than the ping interval");
    }
    return new Options(nick != null ? nick : defaultNick(), port, externalPort, upnp, gateway,
        List.copyOf(connect), verbose, logFile, help, version, ping, dead, ack);
  }

  private static boolean takesValue(String arg) {
    return List.of("--nick", "--port", "--external-port", "--gateway", "--connect", "--log-file",
        "--ping-interval", "--dead-after", "--ack-timeout").contains(arg);
  }

  private static int port(String option, String value, int min) throws UsageException {
    try {
      int port = Integer.parseInt(value);
      if (port >= min && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " must be a port number " + min + "-65535, not " + value);
  }

  private static URI url(String value) throws UsageException {
    try {
      URI uri = new URI(value);
      if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) return uri;
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException("--gateway must be an http:// URL of the router's description, not " + value);
  }

  private static Duration duration(String option, String value) throws UsageException {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }

  /** The login name if it is a valid nick (trimmed to the limit), else "anon". */
  static String defaultNick() {
    String user = System.getProperty("user.name", "");
    String nick = user.codePointCount(0, user.length()) > Limits.MAX_NICK_LENGTH
        ? user.substring(0, user.offsetByCodePoints(0, Limits.MAX_NICK_LENGTH)) : user;
    return Nicknames.problem(nick).isEmpty() ? nick : "anon";
  }

  /** The node configuration these options ask for. */
  NodeConfig nodeConfig() {
    NodeConfig.Builder b = NodeConfig.builder(nick)
        .port(port != null ? port : NodeConfig.DEFAULT_PORT, port == null)
        .externalPort(externalPort);
    NodeConfig defaults = b.build();
    b.keepalive(pingInterval != null ? pingInterval : defaults.pingInterval(),
        deadAfter != null ? deadAfter : defaults.deadAfter());
    if (ackTimeout != null) b.ackTimeout(ackTimeout);
    return b.build();
  }
}
