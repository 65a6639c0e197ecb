package dev.p2pchat.chat;

import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.MappedPortForwarding;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.PortForwarding;
import dev.p2pchat.chat.node.Version;
import dev.p2pchat.chat.trust.IdentityDirectory;
import dev.p2pchat.chat.trust.IdentityInUseException;
import dev.p2pchat.chat.trust.KnownPeers;
import dev.p2pchat.chat.ui.PlainUi;
import dev.p2pchat.chat.ui.ScreenLimits;
import dev.p2pchat.chat.ui.TerminalPolicy;
import dev.p2pchat.chat.ui.TerminalUi;
import dev.p2pchat.chat.ui.Timestamps;
import dev.p2pchat.chat.ui.Ui;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of the chat node. With a terminal it runs the interactive jline interface; with
 * pipes (no console) it runs the plain line mode that scripts and tests drive.
 */
public final class Main {
  /** This process's claim on its default log file, kept so that the lock lives as long as it. */
  private static LogFile logFile;
  /** Standard error as the process got it, for the user: {@link System#err} may become the log. */
  private static final PrintStream USER_ERR = System.err;

  private Main() {}

  public static void main(String[] args) {
    ChatOptions options;
    try {
      options = ChatOptions.parse(args);
    } catch (ParameterException e) {
      System.err.println("p2p-chat: " + e.getMessage());
      System.err.println(ChatOptions.usage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(ChatOptions.usage());
      return;
    }
    if (options.version()) {
      System.out.println(Version.current());
      return;
    }
    Optional<String> logProblem = options.logFile == null ? Optional.empty() : LogFile.problem(options.logFile);
    if (logProblem.isPresent()) {
      System.err.println("p2p-chat: --log-file: " + logProblem.get());
      System.exit(2);
      return;
    }
    // Before anything creates a logger: slf4j-simple reads these once.
    configureLogging(options);
    System.exit(run(options, userInterface(options)));
  }

  /**
   * Runs a node in plain line mode with {@code args}, reading {@code in} and writing events to
   * {@code out}; returns the exit status. For tests and for embedding; logging is left as it is.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    ChatOptions options;
    try {
      options = ChatOptions.parse(args);
    } catch (ParameterException e) {
      err.println("p2p-chat: " + e.getMessage());
      err.println(ChatOptions.usage());
      return 2;
    }
    return run(options, new PlainUi(in, out));
  }

  private static int run(ChatOptions options, Ui ui) {
    IdentityDirectory identity;
    KnownPeers knownPeers;
    try {
      identity = options.identity != null
          ? IdentityDirectory.claim(options.identity)
          : IdentityDirectory.claimDefault(appDirectory());
      knownPeers = KnownPeers.load(identity.knownPeersFile(), Clock.systemUTC());
    } catch (IdentityInUseException e) {
      ui.view().show(Notice.error(e.getMessage()));
      ui.close();
      return 2;
    } catch (IOException e) {
      ui.view().show(Notice.error(e.getMessage()));
      ui.close();
      return 1;
    }
    identity.notices().forEach(notice -> ui.view().show(Notice.info(notice)));
    try {
      return run(options, ui, identity, knownPeers);
    } finally {
      try {
        identity.close(); // lets the next node take it, as when run in-process by tests
      } catch (IOException e) {
        // the process's end releases the lock anyway
      }
    }
  }

  private static int run(ChatOptions options, Ui ui, IdentityDirectory identity,
      KnownPeers knownPeers) {
    PortForwarding forwarding = options.portMapping()
        ? new MappedPortForwarding(options.gateway)
        : PortForwarding.none();
    Node node = new Node(options.nodeConfig(), identity.identity(), knownPeers, ScreenLimits.every(ui.view()), forwarding);
    Thread hook = new Thread(node::close, "p2p-chat-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      try {
        node.start();
      } catch (IOException e) {
        ui.view().show(Notice.error(e.getMessage()));
        return 1;
      }
      options.connect.forEach(target -> target.dial(node, ""));
      ui.run(new SlashCommands(node, ui.view()));
      return 0;
    } finally {
      node.close();
      ui.view().show(Notice.info("bye"));
      ui.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down (Ctrl-C, SIGTERM): the hook is closing the node
      }
    }
  }

  /**
   * The jline interface on a terminal, else plain mode; plain mode too on a terminal that cannot
   * move the cursor ({@code TERM=dumb}, such as an editor's shell buffer), where a prompt could
   * not be redrawn under incoming lines.
   */
  private static Ui userInterface(ChatOptions options) {
    TerminalPolicy policy = TerminalPolicy.from(System.getenv());
    if (System.console() != null && policy.lineEditing()) {
      try {
        return TerminalUi.onSystemTerminal(appDirectory().resolve("history"), policy,
            Timestamps.choose(true, options.noTimestamps, Clock.systemDefaultZone()));
      } catch (IOException e) {
        USER_ERR.println("p2p-chat: no terminal (" + e.getMessage() + "); using plain mode");
      }
    }
    return new PlainUi(System.in,
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
  }

  private static void configureLogging(ChatOptions options) {
    Path file = options.logFile != null ? options.logFile : options.verbose ? null : defaultLogFile();
    String destination = "System.err";
    if (file != null) {
      try {
        // slf4j-simple looks System.err up for every line: pointed at the capped log, it writes there.
        System.setErr(new PrintStream(new CappedLog(file, CappedLog.MAX_BYTES), true, StandardCharsets.UTF_8));
      } catch (IOException e) {
        USER_ERR.println("p2p-chat: cannot write the log " + file + " (" + e.getMessage() + "); no size cap");
        destination = file.toString();
      }
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", destination);
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.verbose ? "debug" : "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
  }

  /**
   * This node's own log in {@link #appDirectory()} (see {@link LogFile}), held until the process
   * ends; if none can be had, a file named after the process in the temporary directory.
   */
  private static Path defaultLogFile() {
    try {
      logFile = LogFile.claim(appDirectory());
      return logFile.path();
    } catch (IOException e) {
      Path fallback = Path.of(System.getProperty("java.io.tmpdir"),
          "p2p-chat-" + ProcessHandle.current().pid() + ".log");
      USER_ERR.println("p2p-chat: logging to " + fallback + " (" + e.getMessage() + ")");
      return fallback;
    }
  }

  /**
   * {@code ~/.p2p-chat}, created if needed readable by its owner only (the history holds what was
   * typed); the temporary directory if it cannot be created.
   */
  private static Path appDirectory() {
    Path dir = Path.of(System.getProperty("user.home"), ".p2p-chat");
    try {
      if (Files.isDirectory(dir)) return dir;
      try {
        return Files.createDirectories(dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        return Files.createDirectories(dir); // not a POSIX file system
      }
    } catch (IOException e) {
      return Path.of(System.getProperty("java.io.tmpdir"));
    }
  }
}
