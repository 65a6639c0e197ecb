package dev.p2pchat.chat.e2e;

import dev.p2pchat.lab.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A chat node running as its own program inside a lab host, in plain line mode (its input is a
 * pipe): the test types lines into it and waits for the lines it prints. Every line goes into the
 * scenario's {@link Transcript}, which failure messages quote in full.
 *
 * <p>Each printed line can be awaited once: {@link #awaitLine} returns the first line not
 * returned before that matches, wherever it is, so events printed by different threads of the
 * node in either order are both found.
 */
final class NodeProcess implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final String nick;
  private final Process process;
  private final Transcript transcript;
  private final Path logFile;
  private final List<String> lines = new ArrayList<>();
  private final List<Boolean> claimed = new ArrayList<>();
  private boolean ended;

  private NodeProcess(String nick, Process process, Transcript transcript, Path logFile) {
    this.nick = nick;
    this.process = process;
    this.transcript = transcript;
    this.logFile = logFile;
    Thread reader = new Thread(this::readLines, "node-output-" + nick);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code dev.p2pchat.chat.Main} in {@code host} as {@code nick}, logging to
   * {@code logDir/nick.log} ({@code nick-2.log} for a second start, and so on), with the extra
   * {@code options}. The program's home directory and cache ({@code XDG_CACHE_HOME}, where it
   * remembers the router) are {@code home}, so that nothing of the user running the tests is
   * read or written.
   */
  static NodeProcess start(Host host, String nick, Transcript transcript, Path logDir, Path home,
      String... options) throws IOException {
    Path log = Files.createDirectories(logDir).resolve(nick + ".log").toAbsolutePath();
    for (int n = 2; Files.exists(log); n++) log = log.resolveSibling(nick + "-" + n + ".log");
    List<String> args = new ArrayList<>(List.of("--nick", nick, "--log-file", log.toString()));
    args.addAll(List.of(options));
    transcript.note("start " + nick + " on " + host.address() + ": p2p-chat " + String.join(" ", args));
    ProcessBuilder pb = host.java(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Duser.home=" + home),
        "dev.p2pchat.chat.Main", args.toArray(String[]::new));
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    return new NodeProcess(nick, pb.redirectErrorStream(true).start(), transcript, log);
  }

  String nick() {
    return nick;
  }

  /** Types {@code line} into the node. */
  void type(String line) throws IOException {
    transcript.typed(nick, line);
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The first line not awaited before that contains {@code fragment}, waiting up to {@link #WAIT}. */
  String awaitLine(String fragment) throws InterruptedException {
    return awaitLine(line -> line.contains(fragment), WAIT, "line containing \"" + fragment + "\"");
  }

  /**
   * The first line not awaited before that {@code wanted} accepts.
   *
   * @throws AssertionError naming {@code what} with the whole transcript if none comes in time
   *     or the node's output ends first
   */
  synchronized String awaitLine(Predicate<String> wanted, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = 0; i < lines.size(); i++) {
        if (!claimed.get(i) && wanted.test(lines.get(i))) {
          claimed.set(i, true);
          return lines.get(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        throw failure(nick + " printed no " + what + (ended ? " before its output ended"
            : " within " + timeout.toMillis() + " ms"));
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * Types {@code /nick} and waits for its answer: every line the node printed before handling it
   * is then in {@link #lines()}.
   */
  void sync() throws IOException, InterruptedException {
    type("/nick");
    awaitLine("you are " + nick);
  }

  /** Every line printed so far. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines printed so far that contain {@code fragment}. */
  List<String> linesContaining(String fragment) {
    return lines().stream().filter(l -> l.contains(fragment)).collect(Collectors.toList());
  }

  /** Waits for the program to exit and returns its status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw failure(nick + " did not exit within " + timeout.toMillis() + " ms");
    }
    return process.exitValue();
  }

  /** Freezes the program (SIGSTOP), as a machine that hangs: its sockets stay open, it answers nothing. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Undoes {@link #freeze()}. */
  void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Sends the signal {@code name} (TERM, KILL, ...) to the program. */
  void signal(String name) throws IOException, InterruptedException {
    // The process is `ip netns exec … java`, which execs java: same pid.
    transcript.note("kill -" + name + " " + nick);
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** An assertion failure quoting the whole scenario's transcript and where this node logs. */
  AssertionError failure(String message) {
    return new AssertionError(message + "\n(log of " + nick + ": " + logFile + ")\ntranscript:\n"
        + transcript);
  }

  /** Kills the program if it still runs (SIGKILL: nothing is cleaned up on the router). */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLines() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        transcript.printed(nick, line);
        synchronized (this) {
          lines.add(line);
          claimed.add(false);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the process is gone; ended says so below
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }
}
