package dev.p2pchat.chat.e2e;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The nodes of one end-to-end scenario and their shared {@link Transcript}. Closing it kills
 * whatever still runs and saves the transcript to {@code target/e2e/NAME.txt}, next to the nodes'
 * logs, whether the scenario passed or not.
 */
final class Scene implements AutoCloseable {
  /** Relative to the module: Failsafe runs in chat-app/. */
  static final Path OUTPUT = Path.of("target", "e2e");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
  /** How long a node may take to print a line a scenario waits for. */
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final Pattern SHARE = Pattern.compile("Share this address: (\\S+)");
  /** The ack timeout every node of a scene runs with. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);
  /** Short timings so that scenarios stay quick; the defaults are in docs/chat-app.md. */
  private static final List<String> TIMINGS = List.of("--ping-interval", "1s", "--dead-after", "5s",
      "--ack-timeout", ACK_TIMEOUT.toSeconds() + "s");

  private final String name;
  private final Transcript transcript = new Transcript();
  /** The nodes started, with their nicks. */
  private final Map<RunningProcess, String> nodes = new LinkedHashMap<>();
  /** The nodes' home directories, one per nick, deleted with the scene. */
  private final Path homes;

  /** A scene whose logs go to {@code target/e2e/NAME/}, emptied of an earlier run's. */
  Scene(String name) throws IOException {
    this.name = name;
    Path logs = OUTPUT.resolve(name);
    if (Files.isDirectory(logs)) {
      try (Stream<Path> old = Files.list(logs)) {
        for (Path log : (Iterable<Path>) old.filter(p -> p.toString().endsWith(".log"))::iterator) {
          Files.delete(log);
        }
      }
    }
    homes = Files.createTempDirectory("p2p-chat-e2e-").toAbsolutePath();
  }

  /**
   * The home directory of the nodes called {@code nick} (a node started again keeps it, like a
   * user's program run again).
   */
  Path home(String nick) throws IOException {
    return Files.createDirectories(homes.resolve(nick));
  }

  Transcript transcript() {
    return transcript;
  }

  /**
   * Starts {@code dev.p2pchat.chat.Main} as {@code nick} in {@code host}, in plain mode (its input
   * is a pipe), with the scene's short timings and the extra command-line {@code options}. It logs
   * to {@code target/e2e/NAME/nick.log} ({@code nick-2.log} for a second start, and so on); its
   * home directory and cache ({@code XDG_CACHE_HOME}, where it remembers the router) are {@link
   * #home}, so that nothing of the user running the tests is read or written. What it prints and
   * is typed goes into the transcript.
   */
  RunningProcess start(Host host, String nick, String... options) throws IOException {
    Path log = Files.createDirectories(OUTPUT.resolve(name)).resolve(nick + ".log").toAbsolutePath();
    for (int n = 2; Files.exists(log); n++) log = log.resolveSibling(nick + "-" + n + ".log");
    List<String> args = new ArrayList<>(List.of("--nick", nick, "--log-file", log.toString()));
    args.addAll(TIMINGS);
    args.addAll(List.of(options));
    transcript.note("start " + nick + " on " + host.address() + ": p2p-chat " + String.join(" ", args));
    Path home = home(nick);
    ProcessBuilder pb = host.java(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Duser.home=" + home),
        "dev.p2pchat.chat.Main", args.toArray(String[]::new));
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    RunningProcess node = RunningProcess.start(pb, new RunningProcess.Echo() {
      @Override
      public void printed(String line) {
        transcript.printed(nick, line);
      }

      @Override
      public void typed(String line) {
        transcript.typed(nick, line);
      }
    });
    nodes.put(node, nick);
    return node;
  }

  String nick(RunningProcess node) {
    return nodes.get(node);
  }

  /** The first line not awaited before, wherever it is, that contains {@code fragment}. */
  static String await(RunningProcess node, String fragment) throws InterruptedException {
    return node.claimLine(line -> line.contains(fragment), WAIT);
  }

  /**
   * Types {@code /nick} and waits for its answer: every line the node printed before handling it
   * is then in {@link RunningProcess#seen()}.
   */
  void sync(RunningProcess node) throws IOException, InterruptedException {
    node.writeLine("/nick");
    await(node, "you are " + nick(node));
  }

  /** Sends the signal {@code name} (TERM, KILL, STOP to freeze, CONT to thaw) to a node. */
  void signal(RunningProcess node, String name) throws IOException, InterruptedException {
    transcript.note("kill -" + name + " " + nick(node));
    node.signal(name);
  }

  /** Waits for the node's {@code Share this address:} line and returns the address. */
  static String sharedAddress(RunningProcess node) throws InterruptedException {
    return addressOf(sharedToken(node));
  }

  /** Waits for the node's {@code Share this address:} line and returns its token, ADDRESS#FINGERPRINT. */
  static String sharedToken(RunningProcess node) throws InterruptedException {
    Matcher m = SHARE.matcher(await(node, "Share this address: "));
    if (!m.find()) throw new AssertionError("unreadable share line in " + node.seen());
    return m.group(1);
  }

  /** The address part of a share token. */
  static String addressOf(String token) {
    return token.substring(0, token.indexOf('#'));
  }

  /**
   * The router's mapping table as {@code upnpc -l} prints it from the home's LAN host: an
   * independent UPnP client's view. Uses the description URL, so no SSDP search is needed.
   */
  String upnpcList(Home home) throws IOException {
    ExecResult listing = home.host().run(COMMAND_TIMEOUT, "upnpc", "-u",
        home.router().descriptionUrl().toString(), "-l");
    transcript.note("upnpc -l in the home of " + home.host().address() + " (exit "
        + listing.exitCode() + "):\n" + listing.stdout().strip());
    if (!listing.ok()) throw new AssertionError("upnpc -l failed: " + listing + "\n" + transcript);
    return listing.stdout();
  }

  /** An assertion failure quoting the whole transcript. */
  AssertionError failure(String message) {
    return new AssertionError(message + "\ntranscript:\n" + transcript);
  }

  @Override
  public void close() throws IOException {
    nodes.keySet().forEach(RunningProcess::close);
    transcript.save(OUTPUT.resolve(name + ".txt"));
    try (Stream<Path> all = Files.walk(homes)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
    }
  }
}
