package dev.p2pchat.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named network namespaces of labs: listing, emptying and deleting them, and sweeping those left
 * by runs that died. Every lab name is {@code p2pl-<pid>-<n>}, so the owning JVM is known.
 */
final class Namespaces {
  private static final Logger log = LoggerFactory.getLogger(Namespaces.class);

  static final String PREFIX = "p2pl-";
  /** A lab's namespace or temporary directory: the owner's pid is group 1. */
  private static final Pattern LAB_NAME = Pattern.compile("p2pl-(\\d+)-\\d+-.*");
  private static final Path NETNS_DIR = Path.of("/run/netns");
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);

  private Namespaces() {}

  /** Names of all named network namespaces, as {@code ip netns list} shows them. */
  static List<String> list() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(NETNS_DIR)) {
      entries.forEach(entry -> names.add(entry.getFileName().toString()));
    } catch (NoSuchFileException e) {
      return names;
    } catch (IOException e) {
      log.warn("cannot list {}: {}", NETNS_DIR, e.toString());
    }
    return names;
  }

  /** Pids of the processes whose network namespace is one of {@code names}, by namespace. */
  static Map<String, List<Long>> pids(Collection<String> names) {
    Map<Long, String> byInode = new HashMap<>();
    for (String name : names) {
      try {
        byInode.put((Long) Files.getAttribute(NETNS_DIR.resolve(name), "unix:ino"), name);
      } catch (IOException | UnsupportedOperationException e) {
        // Gone already, or never made: nothing can run in it.
      }
    }
    Map<String, List<Long>> result = new HashMap<>();
    if (byInode.isEmpty()) {
      return result;
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        Optional<String> owner = namespaceInode(proc).map(byInode::get);
        owner.ifPresent(name -> result.computeIfAbsent(name, n -> new ArrayList<>())
            .add(Long.parseLong(proc.getFileName().toString())));
      }
    } catch (IOException e) {
      log.warn("cannot scan /proc: {}", e.toString());
    }
    return result;
  }

  /** Kills every process in the namespaces, waits for them to end, then deletes the names. */
  static void destroy(Collection<String> names) {
    List<ProcessHandle> victims = pids(names).values().stream().flatMap(List::stream)
        .map(ProcessHandle::of).flatMap(Optional::stream)
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .collect(Collectors.toList());
    victims.forEach(ProcessHandle::destroyForcibly);
    if (!CommandRunner.awaitGone(victims, KILL_WAIT)) {
      log.warn("processes in lab namespaces survived SIGKILL: {}", victims.stream()
          .filter(CommandRunner::running).map(ProcessHandle::pid).collect(Collectors.toList()));
    }
    List<String> existing = new ArrayList<>(list());
    existing.retainAll(names);
    if (existing.isEmpty()) {
      return;
    }
    String script = existing.stream().map(n -> "netns del " + n + "\n")
        .collect(Collectors.joining());
    try {
      // -force: keep deleting the rest when one name fails.
      CommandRunner.check(new ProcessBuilder(Tools.path("ip"), "-force", "-batch", "-"), script,
          IP_TIMEOUT);
    } catch (IOException e) {
      // Another run sweeping the same stale lab may have deleted some first: only leftovers count.
      List<String> left = new ArrayList<>(list());
      left.retainAll(names);
      if (!left.isEmpty()) {
        log.warn("could not delete lab namespaces {}: {}", left, e.getMessage());
      }
    }
  }

  /** Removes namespaces and temporary directories of labs whose JVM is no longer running. */
  static void sweepStale(Path tempRoot) {
    List<String> stale = list().stream().filter(Namespaces::ownerIsDead)
        .collect(Collectors.toList());
    if (!stale.isEmpty()) {
      log.info("removing namespaces left by earlier lab runs: {}", stale);
      destroy(stale);
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tempRoot, PREFIX + "*")) {
      for (Path dir : dirs) {
        if (ownerIsDead(dir.getFileName().toString())) {
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      log.warn("cannot sweep {}: {}", tempRoot, e.toString());
    }
  }

  /** True when {@code name} is a lab's and the JVM that made it has exited. */
  static boolean ownerIsDead(String name) {
    Matcher m = LAB_NAME.matcher(name);
    if (!m.matches()) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return false;
    }
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // Already gone.
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", root, e.toString());
    }
  }

  /** The inode behind {@code /proc/PID/ns/net}, read from its link text {@code net:[INODE]}. */
  private static Optional<Long> namespaceInode(Path proc) {
    try {
      String link = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
      int open = link.indexOf('[');
      int close = link.indexOf(']');
      if (open < 0 || close < open) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(link.substring(open + 1, close)));
    } catch (IOException | NumberFormatException e) {
      // The process ended while we looked, or is a kernel thread we may not inspect.
      return Optional.empty();
    }
  }
}
