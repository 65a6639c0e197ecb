package dev.p2pchat.chat;

import dev.p2pchat.chat.node.NodeConfig;
import dev.p2pchat.chat.node.Version;
import dev.p2pchat.chat.trust.TokenFormatException;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Nicknames;
import dev.p2pchat.upnp.DurationText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The chat program's command line, read by picocli. {@link #parse} does not log (logging is
 * configured from the result) and does not touch the network.
 */
@Command(name = "java -jar p2p-chat.jar", mixinStandardHelpOptions = true,
    versionProvider = ChatOptions.AppVersion.class, sortOptions = false,
    description = "A terminal chat whose nodes talk directly to each other across home routers.")
final class ChatOptions {
  @Option(names = "--nick", paramLabel = "NAME", converter = Nick.class,
      description = "your nickname (default: your login name)")
  String nick = defaultNick();

  @Option(names = "--port", paramLabel = "N", converter = ListeningPort.class,
      description = "listening TCP port (default " + NodeConfig.DEFAULT_PORT
          + ", or any free port if that one is busy)")
  Integer port;

  @Option(names = "--external-port", paramLabel = "N", converter = ExternalPort.class,
      description = "port to ask the router for (default: the listening port)")
  int externalPort;

  @Option(names = {"--no-port-mapping", "--no-upnp"},
      description = "do not ask the router to forward a port (--no-upnp: its name before NAT-PMP and PCP)")
  boolean noPortMapping;

  @Option(names = "--gateway", paramLabel = "URL", converter = GatewayUrl.class,
      description = "use UPnP with the router whose description is at URL instead of searching")
  URI gateway;

  @Option(names = "--connect", paramLabel = "IP:PORT#FINGERPRINT", converter = Target.class,
      description = "dial a peer at start-up, accepting only that fingerprint (without"
          + " #FINGERPRINT: trust on first use); may be repeated")
  List<DialTarget> connect = new ArrayList<>();

  @Option(names = "--identity", paramLabel = "DIR",
      description = "the identity (key, certificate, known peers) to use (default"
          + " ~/.p2p-chat/identity; while another node uses it, identity-2, …)")
  Path identity;

  @Option(names = "--log-file", paramLabel = "PATH",
      description = "where logs go (default ~/.p2p-chat/p2p-chat.log; a second node -2.log)")
  Path logFile;

  @Option(names = "--no-timestamps", description = "do not show the time before each line in the terminal")
  boolean noTimestamps;

  @Option(names = {"-v", "--verbose"}, description = "log to standard error, at debug level")
  boolean verbose;

  @Option(names = "--ping-interval", paramLabel = "D", converter = PositiveDuration.class,
      description = "keepalive ping interval (default 5s; D is seconds, 1.5, or 500ms, 5s, 2m)")
  Duration pingInterval;

  @Option(names = "--dead-after", paramLabel = "D", converter = PositiveDuration.class,
      description = "drop a peer that has been silent this long (default 15s)")
  Duration deadAfter;

  @Option(names = "--ack-timeout", paramLabel = "D", converter = PositiveDuration.class,
      description = "report a line not acknowledged within this (default 5s)")
  Duration ackTimeout;

  private final CommandLine commandLine = new CommandLine(this);

  /** Parses {@code args}; throws with a one-line message when they are wrong. */
  static ChatOptions parse(String[] args) throws ParameterException {
    ChatOptions options = new ChatOptions();
    options.commandLine.parseArgs(args);
    NodeConfig defaults = NodeConfig.builder("anon").build();
    Duration ping = options.pingInterval != null ? options.pingInterval : defaults.pingInterval();
    Duration dead = options.deadAfter != null ? options.deadAfter : defaults.deadAfter();
    if (dead.compareTo(ping) <= 0) {
      throw new ParameterException(options.commandLine,
          "--dead-after must be longer than the ping interval");
    }
    return options;
  }

  /** The usage text, for {@code --help} and after a wrong command line. */
  static String usage() {
    StringWriter text = new StringWriter();
    new CommandLine(new ChatOptions()).usage(new PrintWriter(text));
    return text.toString().stripTrailing();
  }

  boolean help() {
    return commandLine.isUsageHelpRequested();
  }

  boolean version() {
    return commandLine.isVersionHelpRequested();
  }

  boolean portMapping() {
    return !noPortMapping;
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

  static final class AppVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.current()};
    }
  }

  static final class Nick implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      Nicknames.problem(value).ifPresent(problem -> {
        throw new TypeConversionException(problem);
      });
      return value;
    }
  }

  static final class ListeningPort implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return port(value, 0);
    }
  }

  static final class ExternalPort implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return port(value, 1);
    }
  }

  private static int port(String value, int min) {
    try {
      int port = Integer.parseInt(value);
      if (port >= min && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TypeConversionException("must be a port number " + min + "-65535, not " + value);
  }

  static final class GatewayUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI uri = new URI(value);
        if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) return uri;
      } catch (URISyntaxException e) {
        // reported below
      }
      throw new TypeConversionException("must be an http:// URL of the router's description, not " + value);
    }
  }

  static final class Target implements ITypeConverter<DialTarget> {
    @Override
    public DialTarget convert(String value) {
      try {
        return DialTarget.parse(value);
      } catch (TokenFormatException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = DurationText.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (d.isZero()) throw new TypeConversionException("must be above zero: " + value);
      return d;
    }
  }
}
