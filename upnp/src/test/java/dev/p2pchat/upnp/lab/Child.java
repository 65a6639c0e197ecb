package dev.p2pchat.upnp.lab;

import dev.p2pchat.lab.ExecResult;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A process started inside a lab host (from {@code Host.java} or {@code Host.command}): its
 * output lines can be awaited and lines sent to its stdin. Killed on close.
 */
public final class Child implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final Thread reader;

  private Child(Process process) {
    this.process = process;
    this.reader = daemon(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(line);
      } catch (IOException e) {
        // the process is gone; awaitLine reports what it saw
      }
    });
  }

  /** Starts {@code command} with stderr merged into the lines. */
  static Child start(ProcessBuilder command) throws IOException {
    return new Child(command.redirectErrorStream(true).start());
  }

  /**
   * Runs {@code command} to the end and returns its exit status and output.
   *
   * @throws AssertionError if it runs longer than {@code timeout} (it is killed)
   */
  public static ExecResult run(ProcessBuilder command, Duration timeout) throws IOException,
      InterruptedException {
    Process process = command.start();
    process.getOutputStream().close();
    Drain out = new Drain(process.getInputStream());
    Drain err = new Drain(process.getErrorStream());
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command.command()) + " ran longer than "
          + timeout + "; stdout: " + out.text() + " stderr: " + err.text());
    }
    return new ExecResult(process.exitValue(), out.text(), err.text());
  }

  /** The first line not yet read that starts with {@code prefix}; fails after {@code timeout}. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout
            + "; output so far: " + seen);
      }
      seen.add(line);
      if (line.startsWith(prefix)) return line;
    }
  }

  /** Every line the child printed so far (all of them once it exited), for failure messages. */
  String output() throws InterruptedException {
    if (!process.isAlive()) reader.join(2_000);
    lines.drainTo(seen);
    return String.join("\n", seen);
  }

  /** Sends one line to the child's stdin. */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the child to exit; its status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + "; output: " + seen);
    }
    return process.exitValue();
  }

  Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** Reads a stream to its end on a thread of its own. */
  private static final class Drain {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    Drain(InputStream in) {
      thread = daemon(() -> {
        try (in) {
          in.transferTo(buffer);
        } catch (IOException e) {
          // closed: the process is gone
        }
      });
    }

    /** Everything read, once the stream has ended (the process exited). */
    String text() throws InterruptedException {
      thread.join(5_000);
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  private static Thread daemon(Runnable body) {
    Thread thread = new Thread(body, "lab-child-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
