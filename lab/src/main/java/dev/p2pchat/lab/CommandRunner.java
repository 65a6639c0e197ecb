package dev.p2pchat.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs short-lived commands to completion with a deadline. */
final class CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  /** How long to wait for output pipes to drain once the process is gone. */
  private static final long DRAIN_MILLIS = 1_000;

  private CommandRunner() {}

  /** Runs {@code command}, feeding it {@code stdin} (may be null), and returns what it left. */
  static ExecResult run(ProcessBuilder command, String stdin, Duration timeout) throws IOException {
    log.debug("run {}", command.command());
    Process process = command.start();
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The command may exit without reading its input; its exit status tells what happened.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new InterruptedIOException(String.join(" ", command.command())
            + " did not finish within " + timeout.toMillis() + " ms and was killed; stdout: "
            + collect(out) + " stderr: " + collect(err));
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running " + command.command());
    }
    return new ExecResult(process.exitValue(), collect(out), collect(err));
  }

  /** Like {@link #run} but an exit status other than 0 is an {@link IOException}. */
  static String check(ProcessBuilder command, String stdin, Duration timeout) throws IOException {
    ExecResult result = run(command, stdin, timeout);
    if (!result.ok()) {
      throw new IOException(String.join(" ", command.command()) + " exited with "
          + result.exitCode() + ": " + result.stderr().strip() + inputNote(stdin));
    }
    return result.stdout();
  }

  static String check(List<String> command, Duration timeout) throws IOException {
    return check(new ProcessBuilder(command), null, timeout);
  }

  /** Kills the process and everything it started, and waits briefly for them all to end. */
  static void kill(Process process) {
    List<ProcessHandle> all = process.descendants().collect(Collectors.toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    awaitGone(all, Duration.ofMillis(DRAIN_MILLIS));
    try {
      // Our own child is gone once we have reaped it: then Process.isAlive() agrees.
      process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until none of {@code processes} runs any more; false if some still do at the end. */
  static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      for (ProcessHandle process : processes) {
        while (running(process)) {
          if (System.nanoTime() > deadline) {
            return false;
          }
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
      return true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * True while the process can still do anything. A killed process whose parent died stays a
   * zombie until init reaps it, which can take seconds; {@link ProcessHandle#isAlive} counts
   * zombies, this does not.
   */
  static boolean running(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String inputNote(String stdin) {
    return stdin == null ? "" : "\ninput was:\n" + stdin;
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (stream) {
        text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.complete("");
      }
    }, "lab-output-reader");
    reader.setDaemon(true);
    reader.start();
    return text;
  }

  /** Output of a finished process; a pipe still held open by a stray child yields nothing. */
  private static String collect(CompletableFuture<String> text) {
    try {
      return text.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
