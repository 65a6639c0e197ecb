package dev.p2pchat.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds the programs the lab runs and tells whether this machine can run a lab at all. */
final class Tools {
  static final String INSTALL_HINT =
      "apt-get install iproute2 nftables miniupnpd-nftables miniupnpc";

  /** Program name and the Debian package that ships it. */
  private static final String[][] REQUIRED = {
    {"ip", "iproute2"}, {"nft", "nftables"}, {"miniupnpd", "miniupnpd-nftables"},
    {"upnpc", "miniupnpc"}, {"bash", "bash"},
  };

  private Tools() {}

  /** Absolute path of {@code program}, looking in PATH and the sbin directories root uses. */
  static Optional<Path> find(String program) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
        "/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Absolute path of a program {@link #unavailableReason()} vouched for. */
  static String path(String program) {
    return find(program).map(Path::toString).orElse(program);
  }

  /** Why no lab can be built here, or empty when one can. */
  static Optional<String> unavailableReason() {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      return Optional.of("the lab needs Linux network namespaces; this is "
          + System.getProperty("os.name"));
    }
    if (!isRoot()) {
      return Optional.of("the lab needs root to create network namespaces; run the tests as root"
          + " (and " + INSTALL_HINT + ")");
    }
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    for (String[] tool : REQUIRED) {
      if (find(tool[0]).isEmpty()) {
        missing.add(tool[0]);
        packages.add(tool[1]);
      }
    }
    if (!missing.isEmpty()) {
      return Optional.of("the lab needs " + String.join(", ", missing) + " which are not installed;"
          + " apt-get install " + String.join(" ", packages));
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          // Real, effective, saved, fs: the effective uid decides.
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return false;
    }
    return false;
  }
}
