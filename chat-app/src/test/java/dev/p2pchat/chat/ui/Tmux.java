package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A program in a real pseudo-terminal: a tmux server of its own (its socket in a temporary
 * directory, so the user's tmux is never touched) runs the program in one detached pane; the
 * test types into it, presses keys such as {@code C-c} and reads the screen. The pane stays after
 * the program exits, so its exit status and last screen can be read. {@link #close()} kills the
 * server and the program, and deletes the directory.
 */
final class Tmux implements AutoCloseable {
  /** How long {@link #awaitScreen} and {@link #awaitExit} wait by default: a JVM start and more. */
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final String SESSION = "test";
  private static final String STATUS_FILE = "status";
  /**
   * Runs the program and writes its exit status to the file {@code $1}. Ctrl-C interrupts the
   * whole foreground process group, this shell too: it traps SIGINT (its child still gets the
   * default) so as to outlive the program.
   */
  private static final String STATUS_SCRIPT = "trap true INT; status=$1; shift; \"$@\"; echo $? > \"$status\"";
  private static final String CONFIG = String.join("\n",
      "set -g default-terminal screen-256color",
      "set -g remain-on-exit on",
      "set -g status off",
      "set -g history-limit 1000",
      "");

  private final Path dir;
  private final Map<String, String> environment;
  private final long pid;

  private Tmux(Path dir, Map<String, String> environment) throws IOException {
    this.dir = dir;
    this.environment = environment;
    this.pid = Long.parseLong(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip());
  }

  /** Whether the {@code tmux} command can be run here. */
  static boolean installed() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Runs {@code command} in a terminal of {@code columns} by {@code rows}, in {@code workDir},
   * with only {@code PATH}, {@code LANG=C.UTF-8}, tmux's {@code TERM} ({@code screen-256color})
   * and {@code TMUX} variables, and {@code environment} (which may override them) in its
   * environment.
   */
  static Tmux start(Path workDir, int columns, int rows, Map<String, String> environment,
      List<String> command) throws IOException {
    Path dir = Files.createTempDirectory("p2p-chat-tmux-");
    Files.writeString(dir.resolve("tmux.conf"), CONFIG);
    Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
        "LANG", "C.UTF-8");
    List<String> argv = new ArrayList<>(List.of("new-session", "-d", "-s", SESSION,
        "-x", String.valueOf(columns), "-y", String.valueOf(rows), "-c", workDir.toString(), "--",
        "sh", "-c", STATUS_SCRIPT, "sh", dir.resolve(STATUS_FILE).toString(), "env"));
    environment.forEach((k, v) -> argv.add(k + "=" + v));
    argv.addAll(command);
    try {
      run(dir, env, argv);
      return new Tmux(dir, env);
    } catch (IOException | RuntimeException e) {
      killServer(dir, env);
      deleteTree(dir);
      throw e;
    }
  }

  /**
   * Runs the chat node ({@link Main}, from this JVM's class path) as {@code nick} in a 100 by 30
   * terminal, with {@code --no-upnp} (nothing is sent to the network: the node only listens) and
   * {@code --port 0}, its home directory and cache in {@code home} and its log in
   * {@code home/node.log}, and {@code extraEnvironment} (such as {@code NO_COLOR}).
   */
  static Tmux startNode(Path home, String nick, Map<String, String> extraEnvironment, String... options)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("--no-upnp"));
    args.addAll(List.of(options));
    return node(home, nick, extraEnvironment, args);
  }

  /**
   * As {@link #startNode}, but asking the router at {@code gateway} (which must be a loopback
   * fake) to forward the port, instead of {@code --no-upnp}.
   */
  static Tmux startNodeWithGateway(Path home, String nick, java.net.URI gateway) throws IOException {
    if (!java.net.InetAddress.getByName(gateway.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException("a test's router must be on loopback: " + gateway);
    }
    return node(home, nick, Map.of(), List.of("--gateway", gateway.toString()));
  }

  private static Tmux node(Path home, String nick, Map<String, String> extraEnvironment, List<String> options)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Duser.home=" + home,
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--nick", nick, "--port", "0", "--log-file", home.resolve("node.log").toString()));
    command.addAll(options);
    Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(),
        "XDG_CACHE_HOME", home.resolve(".cache").toString()));
    env.putAll(extraEnvironment);
    return start(home, 100, 30, env, command);
  }

  /** Types {@code text} as it is (no key names; no Enter unless it holds a line break). */
  void type(String text) throws IOException {
    tmux("send-keys", "-t", SESSION, "-l", "--", text);
  }

  /** Presses keys by their tmux names: {@code Enter}, {@code C-c}, {@code C-d}, {@code Up}, … */
  void press(String... keys) throws IOException {
    List<String> argv = new ArrayList<>(List.of("send-keys", "-t", SESSION));
    argv.addAll(List.of(keys));
    tmux(argv.toArray(String[]::new));
  }

  /** The screen's text now: one line per row (wrapped lines joined), without trailing spaces. */
  String screen() throws IOException {
    return tmux("capture-pane", "-p", "-J", "-t", SESSION).lines()
        .map(String::stripTrailing).collect(Collectors.joining("\n")).stripTrailing();
  }

  /** The screen now with its colours and other attributes, as escape sequences. */
  String styledScreen() throws IOException {
    return tmux("capture-pane", "-p", "-J", "-e", "-t", SESSION);
  }

  /** The styled screen as soon as the screen contains {@code text}. */
  String awaitStyledScreen(String text) throws IOException, InterruptedException {
    awaitScreen(text);
    return styledScreen();
  }

  /** Sends {@code signal} (such as {@code TERM}) to the program, not to the shell around it. */
  void signalProgram(String signal) throws IOException, InterruptedException {
    ProcessHandle program = ProcessHandle.of(pid).flatMap(shell -> shell.children().findFirst())
        .orElseThrow(() -> new IOException("the program is not running"));
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(program.pid())).inheritIO().start();
    if (!kill.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + program.pid() + " failed");
    }
  }

  /** The screen as soon as it contains {@code text}. */
  String awaitScreen(String text) throws IOException, InterruptedException {
    return awaitScreen(s -> s.contains(text), "\"" + text + "\"");
  }

  /**
   * The screen as soon as {@code wanted} accepts it, within {@link #WAIT}.
   *
   * @throws AssertionError naming {@code what}, with the last screen, if it never does
   */
  String awaitScreen(Predicate<String> wanted, String what) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String screen = screen();
      if (wanted.test(screen)) return screen;
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " on the screen within " + WAIT.toSeconds() + " s:\n" + screen);
      }
      Thread.sleep(50);
    }
  }

  /** The program's exit status (128 + the signal if one killed it, as in a shell), or empty while it runs. */
  OptionalInt exitStatus() throws IOException {
    // tmux 3.3's own #{pane_dead_status} is sometimes never filled in, so a shell writes it down.
    Path file = dir.resolve(STATUS_FILE);
    String status = Files.exists(file) ? Files.readString(file) : "";
    return status.endsWith("\n") ? OptionalInt.of(Integer.parseInt(status.strip())) : OptionalInt.empty();
  }

  /**
   * The program's exit status once it has exited, within {@code timeout}.
   *
   * @throws AssertionError with the last screen if it still runs
   */
  int awaitExit(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      OptionalInt status = exitStatus();
      if (status.isPresent()) return status.getAsInt();
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still running after " + timeout.toMillis() + " ms:\n" + screen());
      }
      Thread.sleep(50);
    }
  }

  /**
   * Kills the tmux server, which hangs up on the program (SIGHUP), then kills the program if it
   * outlives that by 5 s, and deletes the socket's directory.
   */
  @Override
  public void close() throws IOException {
    List<ProcessHandle> processes = ProcessHandle.of(pid)
        .map(shell -> Stream.concat(Stream.of(shell), shell.descendants()).toList()).orElse(List.of());
    killServer(dir, environment);
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
      }
    }
    deleteTree(dir);
  }

  private String tmux(String... args) throws IOException {
    return run(dir, environment, List.of(args));
  }

  /** Runs {@code tmux} with this harness's socket and configuration; returns its output. */
  private static String run(Path dir, Map<String, String> env, List<String> args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("tmux", "-u", "-S", dir.resolve("socket").toString(),
        "-f", dir.resolve("tmux.conf").toString()));
    argv.addAll(args);
    // Output to a file, not a pipe: waiting for it then cannot outlast the timeout.
    Path output = Files.createTempFile(dir, "tmux-", ".out");
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("tmux " + String.join(" ", args) + " did not finish");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException("tmux " + args.get(0) + " failed (" + p.exitValue() + "): " + text.strip());
      }
      return text;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for tmux", e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static void killServer(Path dir, Map<String, String> env) {
    try {
      run(dir, env, List.of("kill-server"));
    } catch (IOException e) {
      // no server (it never started, or already ended)
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
