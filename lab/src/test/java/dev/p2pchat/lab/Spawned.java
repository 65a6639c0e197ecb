package dev.p2pchat.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A long-running test process whose output lines can be awaited; killed on close. */
final class Spawned implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private Spawned(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The process is gone; awaitLine reports what it saw.
      }
    }, "spawned-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command} with its stderr merged into the lines. */
  static Spawned start(ProcessBuilder command) throws IOException {
    return new Spawned(command.redirectErrorStream(true).start());
  }

  Process process() {
    return process;
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
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  @Override
  public void close() {
    Commands.kill(process);
  }
}
