package dev.p2pchat.chat.e2e;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
  private static final Pattern SHARE = Pattern.compile("Share this address: (\\S+)");
  /** The ack timeout every node of a scene runs with. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);
  /** Short timings so that scenarios stay quick; the defaults are in docs/chat-app.md. */
  private static final List<String> TIMINGS = List.of("--ping-interval", "1s", "--dead-after", "5s",
      "--ack-timeout", ACK_TIMEOUT.toSeconds() + "s");

  private final String name;
  private final Transcript transcript = new Transcript();
  private final List<NodeProcess> nodes = new ArrayList<>();
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
   * Starts a node as {@code nick} in {@code host} with the scene's short timings and the extra
   * command-line {@code options}.
   */
  NodeProcess start(Host host, String nick, String... options) throws IOException {
    List<String> args = new ArrayList<>(TIMINGS);
    args.addAll(List.of(options));
    NodeProcess node = NodeProcess.start(host, nick, transcript, OUTPUT.resolve(name), home(nick),
        args.toArray(String[]::new));
    nodes.add(node);
    return node;
  }

  /** Waits for the node's {@code Share this address:} line and returns the address. */
  static String sharedAddress(NodeProcess node) throws InterruptedException {
    Matcher m = SHARE.matcher(node.awaitLine("Share this address: "));
    if (!m.find()) throw node.failure("unreadable share line");
    return m.group(1);
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
    nodes.forEach(NodeProcess::close);
    transcript.save(OUTPUT.resolve(name + ".txt"));
    try (Stream<Path> all = Files.walk(homes)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
    }
  }
}
