package dev.p2pchat.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Finds the programs the lab runs and tells whether this machine can run a lab at all. */
final class Tools {
  static final String INSTALL_HINT =
      "apt-get install iproute2 nftables miniupnpd-nftables miniupnpc";

  /** Program name and the Debian package that ships it. */
  private static final String[][] REQUIRED = {
    {"ip", "iproute2"}, {"nft", "nftables"}, {"miniupnpd", "miniupnpd-nftables"},
    {"upnpc", "miniupnpc"}, {"bash", "bash"},
  };

  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_SYS_ADMIN = 21;
  private static final long NEEDED_CAPABILITIES = (1L << CAP_NET_ADMIN) | (1L << CAP_SYS_ADMIN);

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
    return unavailableReason(System.getProperty("os.name", ""), processStatus(), Tools::find);
  }

  /**
   * The decision itself, from the OS name, the fields of {@code /proc/self/status} and a way to
   * find programs.
   */
  static Optional<String> unavailableReason(String osName, Map<String, String> status,
      Function<String, Optional<Path>> finder) {
    if (!osName.equals("Linux")) {
      return Optional.of("the lab needs Linux network namespaces; this is " + osName);
    }
    String[] uids = status.getOrDefault("Uid", "").split("\\s+"); // real, effective, saved, fs
    if (uids.length < 2 || !uids[1].equals("0")) {
      return Optional.of("the lab needs root to create network namespaces; run the tests as root"
          + " (and " + INSTALL_HINT + ")");
    }
    long capabilities = parseHex(status.getOrDefault("CapEff", "0"));
    if ((capabilities & NEEDED_CAPABILITIES) != NEEDED_CAPABILITIES) {
      return Optional.of("root here lacks CAP_SYS_ADMIN or CAP_NET_ADMIN (CapEff "
          + status.get("CapEff") + "), so it cannot create network namespaces;"
          + " run on a machine or a privileged container");
    }
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    for (String[] tool : REQUIRED) {
      if (finder.apply(tool[0]).isEmpty()) {
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

  /** The fields of {@code /proc/self/status}, e.g. {@code Uid} and {@code CapEff}. */
  private static Map<String, String> processStatus() {
    Map<String, String> fields = new HashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
      }
    } catch (IOException e) {
      // Not Linux after all, or /proc is missing: every check below then fails closed.
    }
    return fields;
  }

  private static long parseHex(String hex) {
    try {
      return Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
