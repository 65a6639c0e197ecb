package dev.p2pchat.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running program under test, typically started in a lab host, whose output lines a test
 * can wait for and whose input it can type into. Standard error is merged into the lines.
 * {@link #close()} kills it and everything it started.
 *
 * <pre>
 * try (RunningProcess node = RunningProcess.start(home.host().java("dev.p2pchat.chat.Main"))) {
 *   String share = node.awaitLineContaining("Share this address", Duration.ofSeconds(20));
 *   node.writeLine("/quit");
 * }
 * </pre>
 */
public final class RunningProcess implements AutoCloseable {
  private static final String END = new String("end of output"); // identity marks EOF

  /** Hears every line the program prints and every line typed into it, e.g. for a transcript. */
  public interface Echo {
    void printed(String line);

    void typed(String line);
  }

  private static final Echo SILENT = new Echo() {
    @Override
    public void printed(String line) {}

    @Override
    public void typed(String line) {}
  };

  private final Process process;
  private final Echo echo;
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  /** Which of {@link #seen} an await has returned, for {@link #claimLine}. */
  private final List<Boolean> returned = new ArrayList<>();

  private RunningProcess(Process process, Echo echo) {
    this.process = process;
    this.echo = echo;
    Thread reader = new Thread(this::readLines, "running-process-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command}, with standard error merged into standard output. */
  public static RunningProcess start(ProcessBuilder command) throws IOException {
    return start(command, SILENT);
  }

  /** Starts {@code command} like {@link #start(ProcessBuilder)}, telling {@code echo} its lines. */
  public static RunningProcess start(ProcessBuilder command, Echo echo) throws IOException {
    return new RunningProcess(command.redirectErrorStream(true).start(), echo);
  }

  /** The process itself, e.g. for its pid or exit value. */
  public Process process() {
    return process;
  }

  /**
   * Waits for the next line, not returned before, that {@code wanted} accepts; lines passed over
   * are kept in {@link #seen()}.
   *
   * @throws AssertionError if none comes within {@code timeout} or the output ends first; the
   *     message quotes every line seen
   */
  public synchronized String awaitLine(Predicate<String> wanted, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no matching line within " + timeout.toMillis() + " ms from "
            + process.info().command().orElse("pid " + process.pid()) + "; output so far: "
            + seen);
      }
      if (line == END) {
        unread.add(END);
        throw new AssertionError("output ended without a matching line"
            + (process.isAlive() ? "" : " (exit status " + process.exitValue() + ")")
            + "; output: " + seen);
      }
      seen.add(line);
      returned.add(false);
      if (wanted.test(line)) {
        returned.set(returned.size() - 1, true);
        return line;
      }
    }
  }

  /**
   * The first line not returned before that {@code wanted} accepts, wherever it is: among the
   * lines an earlier await passed over too, so that lines the program prints from different
   * threads, in either order, are each found. Fails as {@link #awaitLine} does.
   */
  public synchronized String claimLine(Predicate<String> wanted, Duration timeout)
      throws InterruptedException {
    for (int i = 0; i < seen.size(); i++) {
      if (!returned.get(i) && wanted.test(seen.get(i))) {
        returned.set(i, true);
        return seen.get(i);
      }
    }
    return awaitLine(wanted, timeout);
  }

  /** {@link #awaitLine(Predicate, Duration)} for the next line containing {@code text}. */
  public String awaitLineContaining(String text, Duration timeout) throws InterruptedException {
    return awaitLine(line -> line.contains(text), timeout);
  }

  /** Every line {@link #awaitLine} has read so far, in order. */
  public synchronized List<String> seen() {
    return List.copyOf(seen);
  }

  /** Types {@code line} and a newline into the program's standard input. */
  public void writeLine(String line) throws IOException {
    echo.typed(line);
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the program to exit and returns its status; fails if it does not in time. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("pid " + process.pid() + " did not exit within " + timeout.toMillis()
          + " ms; output: " + seen());
    }
    return process.exitValue();
  }

  /**
   * Sends the signal {@code name} (TERM, KILL, STOP, CONT, ...) to the program; STOP freezes it
   * as a machine that hangs: its sockets stay open and it answers nothing.
   */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Kills the program and whatever it started, and waits briefly for them to end. */
  @Override
  public void close() {
    CommandRunner.kill(process);
  }

  private void readLines() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        echo.printed(line);
        unread.add(line);
      }
    } catch (IOException e) {
      // The stream closed under us: the process is gone, which END reports.
    } finally {
      unread.add(END);
    }
  }
}
