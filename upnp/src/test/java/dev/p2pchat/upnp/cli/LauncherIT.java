package dev.p2pchat.upnp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.upnp.FakeGateway;
import dev.p2pchat.upnp.PortMappingEntry;
import dev.p2pchat.upnp.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code mvn package} builds ({@code target/upnp-tool}, see {@link
 * LauncherTraining}), run as people run it, against a {@link FakeGateway} on 127.0.0.1 given by
 * {@code --gateway}: no search, nothing leaves the machine.
 */
class LauncherIT {
  private static final Path TARGET = Path.of("target");
  private static final String MAPPED =
      "✓ mapped TCP 203.0.113.7:40100 → 127.0.0.1:40100 (lease 3600 s)\n";

  @TempDir Path dir;

  /** The launcher's environment: its own cache, and the JDK that built (and trained) it. */
  private Map<String, String> env(String javaToolOptions) {
    Map<String, String> env = new HashMap<>(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(),
        "JAVA_HOME", System.getProperty("java.home")));
    if (javaToolOptions != null) env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
    return env;
  }

  private LauncherTraining.Run add(Path launcher, FakeGateway router, String javaToolOptions)
      throws Exception {
    return LauncherTraining.run(launcher, env(javaToolOptions), "add", "40100", "--gateway",
        router.location());
  }

  @Test
  void addsAMappingWithTheTrainedArchive() throws Exception {
    Path classLog = dir.resolve("classes.log");
    String options = "-Xshare:on -Xlog:class+load:file=" + classLog; // on: fail if unusable
    try (FakeGateway router = new FakeGateway()) {
      LauncherTraining.Run run = add(TARGET.resolve("upnp-tool"), router, options);

      assertEquals(0, run.exitCode(), run.toString());
      assertEquals(MAPPED, run.stdout());
      assertEquals("Picked up JAVA_TOOL_OPTIONS: " + options + "\n", run.stderr());
      assertEquals(List.of(PortMappingEntry.of(Protocol.TCP, 40100, "127.0.0.1", 40100,
          "upnp-tool", 3600)), router.service.mappings());
    }
    assertTrue(Files.readString(classLog).contains(
        "dev.p2pchat.upnp.cli.UpnpTool source: shared objects file"), "the tool's classes come"
        + " from the archive (the JDK's own has none of them)");
  }

  @Test
  void runsThroughASymlinkFromAnotherDirectory() throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("upnp-tool"),
        TARGET.resolve("upnp-tool").toAbsolutePath());
    try (FakeGateway router = new FakeGateway()) {
      LauncherTraining.Run run = add(link, router, "-Xshare:on");

      assertEquals(0, run.exitCode(), run.toString());
      assertEquals(MAPPED, run.stdout());
    } finally {
      Files.delete(link); // JUnit would warn about a link leading out of its directory
    }
  }

  @Test
  void aStaleOrForeignArchiveIsPassedOverWithoutAWord() throws Exception {
    Path copy = Files.createDirectory(dir.resolve("copy"));
    // copied archive first: the jar is newer, so the launcher leaves the archive out
    Files.copy(TARGET.resolve("upnp-tool.jsa"), copy.resolve("upnp-tool.jsa"));
    Files.copy(TARGET.resolve("upnp-tool.jar"), copy.resolve("upnp-tool.jar"));
    Files.copy(TARGET.resolve("upnp-tool"), copy.resolve("upnp-tool"));
    try (FakeGateway router = new FakeGateway()) {
      assertQuietlyMapped(add(copy.resolve("upnp-tool"), router, null));

      // a jar older than the archive but not the one it was made from: the JVM refuses it
      Files.setLastModifiedTime(copy.resolve("upnp-tool.jar"), FileTime.fromMillis(0));
      router.service.clearMappings();
      assertQuietlyMapped(add(copy.resolve("upnp-tool"), router, null));

      // not an archive at all
      Files.write(copy.resolve("upnp-tool.jsa"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      router.service.clearMappings();
      assertQuietlyMapped(add(copy.resolve("upnp-tool"), router, null));
    }
  }

  private static void assertQuietlyMapped(LauncherTraining.Run run) {
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(MAPPED, run.stdout());
    assertEquals("", run.stderr());
  }
}
