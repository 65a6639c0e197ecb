package dev.p2pchat.upnp.cli;

import dev.p2pchat.upnp.FakeGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the tool's launcher, run by {@code mvn package} after the jar is shaded: installs
 * {@code src/main/sh/upnp-tool} as {@code target/upnp-tool}, then trains its class-data archive
 * {@code target/upnp-tool.jsa} with one run of that launcher against a {@link FakeGateway} on
 * 127.0.0.1 (the JVM writes the archive at exit, asked to by {@code JAVA_TOOL_OPTIONS}, so the
 * archive comes from the very flags the launcher uses, and from the JDK running the build, which
 * the launcher finds as JAVA_HOME). The run takes every path a
 * command can take, so the archive holds the classes of all of them: a remembered router whose
 * control URL and description no longer answer, a search (by unicast to the fake), the
 * description, the control actions, remembering the router found, and the mapping.
 *
 * <p>{@code LauncherTraining SCRIPT TARGET_DIRECTORY}
 */
public final class LauncherTraining {
  private static final long TIMEOUT_SECONDS = 60;

  private LauncherTraining() {}

  /** What one run of the launcher did. */
  record Run(int exitCode, String stdout, String stderr) {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[1]);
    Path launcher = target.resolve("upnp-tool");
    Files.copy(Path.of(args[0]), launcher, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path archive = target.resolve("upnp-tool.jsa");
    Path trained = target.resolve("upnp-tool.jsa.tmp");
    Files.deleteIfExists(archive); // else the launcher would use it instead of writing a new one
    Files.deleteIfExists(trained);
    Path cache = Files.createTempDirectory("upnp-tool-training-");
    try (FakeGateway router = new FakeGateway()) {
      rememberStaleRouter(cache);
      Run run = run(launcher, Map.of("XDG_CACHE_HOME", cache.toString(),
              "JAVA_HOME", System.getProperty("java.home"),
              "JAVA_TOOL_OPTIONS", "-XX:ArchiveClassesAtExit=" + trained),
          "add", "40000", "--search-address",
          "127.0.0.1:" + router.ssdpAddress().getPort(), "--timeout", "10");
      if (run.exitCode() != 0 || !run.stdout().startsWith("✓ mapped TCP ")
          || !Files.isRegularFile(trained)) {
        throw new IllegalStateException("the launcher's training run failed: " + run);
      }
      // renamed only when whole: a cut-short archive would crash the JVM that maps it
      Files.move(trained, archive, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(trained);
      deleteTree(cache);
    }
  }

  /** A remembered router at a port where nothing listens: its check fails, then the search. */
  private static void rememberStaleRouter(Path cache) throws IOException {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }
    String router = "http://127.0.0.1:" + closedPort;
    Path file = cache.resolve("p2p-chat").resolve("gateway");
    Files.createDirectories(file.getParent());
    Files.writeString(file, router + "/rootDesc.xml\n"
        + "service urn:schemas-upnp-org:service:WANIPConnection:2\n"
        + "control " + router + "/ctl/IPConn\n"
        + "name Training\n");
  }

  /**
   * Runs {@code launcher} with {@code args}, its environment plus {@code env}, and waits for it
   * (at most a minute).
   */
  static Run run(Path launcher, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("upnp-tool-out-", ".txt");
    Path err = Files.createTempFile("upnp-tool-err-", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
              Path.of("/dev/null").toFile()));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IOException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
