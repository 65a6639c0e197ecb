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

  private final Process process;
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private RunningProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readLines, "running-process-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command}, with standard error merged into standard output. */
  public static RunningProcess start(ProcessBuilder command) throws IOException {
    return new RunningProcess(command.redirectErrorStream(true).start());
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
      if (wanted.test(line)) {
        return line;
      }
    }
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
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
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
        unread.add(line);
      }
    } catch (IOException e) {
      // The stream closed under us: the process is gone, which END reports.
    } finally {
      unread.add(END);
    }
  }
}
