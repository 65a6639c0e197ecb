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
 * {@code src/main/sh/upnp-tool} as {@code target/upnp-tool}, then makes its class-data archive
 * {@code target/upnp-tool.jsa}: one run of that launcher against a {@link FakeGateway} on
 * 127.0.0.1 lists the classes it loads (asked to by {@code JAVA_TOOL_OPTIONS}, so with the very
 * flags the launcher uses, and the JDK running the build, which the launcher finds as
 * JAVA_HOME), then that JDK dumps them into a static archive (JDK and tool classes in one, which
 * starts the tool about 6 ms sooner than a dynamic archive on top of the JDK's own). The run
 * takes every path a command can take, so the archive holds the classes of all of them: a
 * remembered router whose control URL and description no longer answer, a search (by unicast to
 * the fake), the description, the control actions, remembering the router found, and the
 * mapping.
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
    Files.deleteIfExists(archive); // else the training run would use it
    Files.deleteIfExists(trained);
    Path cache = Files.createTempDirectory("upnp-tool-training-");
    Path classList = cache.resolve("classes.lst");
    String javaHome = System.getProperty("java.home");
    try (FakeGateway router = new FakeGateway()) {
      rememberStaleRouter(cache);
      Run run = run(launcher, Map.of("XDG_CACHE_HOME", cache.toString(), "JAVA_HOME", javaHome,
              "JAVA_TOOL_OPTIONS", "-XX:DumpLoadedClassList=" + classList),
          "add", "40000", "--search-address",
          "127.0.0.1:" + router.ssdpAddress().getPort(), "--timeout", "10");
      if (run.exitCode() != 0 || !run.stdout().startsWith("✓ mapped TCP ")) {
        throw new IllegalStateException("the launcher's training run failed: " + run);
      }
      Run dump = run(Path.of(javaHome, "bin", "java"), Map.of(), "-Xshare:dump",
          "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + trained,
          "-cp", target.resolve("upnp-tool.jar").toString());
      if (dump.exitCode() != 0 || !Files.isRegularFile(trained)) {
        throw new IllegalStateException("dumping the launcher's class-data archive failed: "
            + dump);
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
   * Runs {@code program} with {@code args}, its environment plus {@code env}, and waits for it
   * (at most a minute).
   */
  static Run run(Path program, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(program.toString()));
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
