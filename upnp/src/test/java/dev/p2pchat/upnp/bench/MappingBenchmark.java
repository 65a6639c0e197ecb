package dev.p2pchat.upnp.bench;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Time to a confirmed port mapping, in a real-router lab, ours against weupnp and miniupnpc's
 * upnpc in the same run: in one warm JVM ({@link TimedMapping} inside home A), and as whole
 * processes started inside home A (upnp-tool's launcher and jar, weupnp in a small main — also
 * with the launcher's JVM flags and an AppCDS archive of its own, for fairness — and upnpc),
 * interleaved run by run so drift hits all alike. Needs root and a packaged tool (jar, launcher
 * and archive); see docs/benchmarks.md.
 *
 * <p>Arguments (optional): whole-process runs per contender (default 10), in-JVM rounds
 * (default 20, after 3 warm-ups). With {@code -Dupnp.tool.baseline=DIR}, the launcher and jar
 * of another build in {@code DIR} (its own archive trained there) run warm beside ours.
 */
public final class MappingBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int WARMUPS = 3;
  /** The second line of bash's {@code times}: user and system time of its children. */
  private static final Pattern CHILD_TIMES =
      Pattern.compile("\\n(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$");
  private static final Pattern ROUND =
      Pattern.compile("round \\d+ total_ms ([0-9.]+)(?: find_ms ([0-9.]+))?");
  /** The JVM flags of upnp-tool's launcher (upnp/src/main/sh/upnp-tool), given to weupnp too. */
  static final List<String> TUNED = List.of("-XX:TieredStopAtLevel=1",
      "-XX:CompileThresholdScaling=5", "-XX:+UseG1GC", "-XX:-UsePerfData");

  private static final String UPNPC = "upnpc -a (miniupnpc)";
  private static final String WEUPNP = "weupnp: java -cp (discover, ext IP, add)";
  private static final String WEUPNP_TUNED = "weupnp: launcher's flags + AppCDS as ours";

  private MappingBenchmark() {}

  /** A whole-process contender: how to start it inside the host, how to tell it worked. */
  private record Contender(String name, List<String> argv, String successText) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path jar = Path.of(System.getProperty("upnp.tool.jar", "upnp/target/upnp-tool.jar"))
        .toAbsolutePath();
    Path launcher = jar.resolveSibling("upnp-tool");
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(jar.resolveSibling("upnp-tool.jsa"))) {
      throw new IOException(jar + " or its launcher and archive are missing: build them first"
          + " (see docs/benchmarks.md)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path weupnpArchive = Files.createTempFile("weupnp-", ".jsa");
    Path weupnpClasses = Files.createTempFile("weupnp-", ".lst");
    Path benchJar = benchJar();
    Path cache = Files.createTempDirectory("upnp-tool-cache-");
    try (Lab lab = Lab.create()) {
      Host host = lab.homeA().host();
      String router = lab.homeA().router().lanAddress();
      String description = lab.homeA().router().descriptionUrl().toString();
      int port = 42000;

      System.out.printf("upnp: time to a confirmed TCP mapping on router A (miniupnpd), from"
          + " home A; median / p90 in ms; load average at the start: %s%n%n", loadAverage());
      System.out.printf("in one JVM, %d rounds after %d warm-ups:%n", rounds, WARMUPS);
      List<double[]> ssdp = inJvm(host, "ssdp", router, "" + rounds);
      List<double[]> ours = inJvm(host, "ours", "" + port, "" + rounds, "" + WARMUPS);
      List<double[]> warm = inJvm(host, "ours-warm", "" + port, "" + rounds, "" + WARMUPS);
      List<double[]> weupnp = inJvm(host, "weupnp", "" + port, "" + rounds, "" + WARMUPS);
      row("router's SSDP answer (1 M-SEARCH)", column(ssdp, 0), "");
      row("ours cold (search): find, add", column(ours, 0), "find " + fmt(median(column(ours,
          1))) + ", then add " + fmt(median(column(ours, 2))));
      row("ours warm (remembered router): find, add", column(warm, 0), "find "
          + fmt(median(column(warm, 1))) + ", then add " + fmt(median(column(warm, 2))));
      row("weupnp: discover, getExternalIPAddress, add", column(weupnp, 0), "discover "
          + fmt(median(column(weupnp, 1))) + ", then ext IP + add "
          + fmt(median(column(weupnp, 2))));
      System.out.printf("  ours cold / weupnp: %.2fx; ours warm / weupnp: %.2fx%n%n",
          median(column(ours, 0)) / median(column(weupnp, 0)),
          median(column(warm, 0)) / median(column(weupnp, 0)));

      // weupnp's archive is made as the launcher's is (LauncherTraining): a run lists its classes
      String weupnpClassPath = benchJar + File.pathSeparator + weupnpJar();
      check(new Contender("weupnp's class list", concat(concat(List.of(java), TUNED),
          List.of("-XX:DumpLoadedClassList=" + weupnpClasses, "-cp", weupnpClassPath,
              TimedMapping.class.getName(), "weupnp", "" + port)), ""), host, description, port);
      ExecResult dump = host.run(TIMEOUT, java, "-Xshare:dump",
          "-XX:SharedClassListFile=" + weupnpClasses, "-XX:SharedArchiveFile=" + weupnpArchive,
          "-cp", weupnpClassPath);
      if (!dump.ok()) throw new IOException("could not dump weupnp's archive: " + dump);
      // the first run remembers the router in the cache the warm rows use
      List<Contender> contenders = wholeProcessContenders(java, jar, launcher, cache,
          weupnpClassPath, weupnpArchive, host, description, port);
      Map<Contender, List<Double>> wall = new LinkedHashMap<>();
      Map<Contender, List<Double>> cpu = new LinkedHashMap<>();
      for (Contender c : contenders) {
        wall.put(c, new ArrayList<>());
        cpu.put(c, new ArrayList<>());
      }
      for (int run = -1; run < runs; run++) { // run -1 warms the page cache
        for (Contender c : contenders) {
          double[] wallAndCpu = check(c, host, description, port);
          if (run < 0) continue;
          wall.get(c).add(wallAndCpu[0]);
          cpu.get(c).add(wallAndCpu[1]);
        }
      }
      System.out.printf("whole process started inside home A, %d runs each, interleaved"
          + " (wall ms; CPU ms = user + system):%n", runs);
      double weupnpProcess = median(wall.get(named(contenders, WEUPNP)));
      double weupnpTuned = median(wall.get(named(contenders, WEUPNP_TUNED)));
      for (Contender c : contenders) {
        double m = median(wall.get(c));
        row(c.name(), wall.get(c), String.format("CPU %5.0f   %.2fx weupnp, %.2fx weupnp tuned",
            median(cpu.get(c)), m / weupnpProcess, m / weupnpTuned));
      }
      System.out.printf("load average at the end: %s%n", loadAverage());
    } finally {
      Files.deleteIfExists(weupnpArchive);
      Files.deleteIfExists(weupnpClasses);
      Files.deleteIfExists(benchJar);
      Files.deleteIfExists(cache.resolve("p2p-chat/gateway"));
      Files.deleteIfExists(cache.resolve("p2p-chat"));
      Files.delete(cache);
    }
  }

  /**
   * The tool's rows: cold ones pass {@code --no-cache} and search; warm ones find the router
   * remembered in {@code cache} (their own XDG_CACHE_HOME, never root's). The launcher runs the
   * JDK running this benchmark, as JAVA_HOME.
   */
  private static List<Contender> wholeProcessContenders(String java, Path jar, Path launcher,
      Path cache, String weupnpClassPath, Path weupnpArchive, Host host, String description,
      int port) {
    List<String> env = List.of("env", "XDG_CACHE_HOME=" + cache,
        "JAVA_HOME=" + System.getProperty("java.home"));
    List<String> add = List.of("add", "" + port);
    List<String> javaJar = concat(concat(env, List.of(java, "-jar", jar.toString())), add);
    List<String> shipped = concat(concat(env, List.of(launcher.toString())), add);
    List<String> noCache = List.of("--no-cache");
    List<Contender> list = new ArrayList<>();
    list.add(new Contender("upnp-tool: launcher, cold (--no-cache)", concat(shipped, noCache),
        "✓ mapped"));
    list.add(new Contender("upnp-tool: launcher, warm (remembered router)", shipped,
        "✓ mapped"));
    list.add(new Contender("upnp-tool: java -jar, cold (--no-cache)", concat(javaJar, noCache),
        "✓ mapped"));
    list.add(new Contender("upnp-tool: java -jar, warm (remembered router)", javaJar,
        "✓ mapped"));
    list.add(new Contender("upnp-tool: java -jar, --gateway (no search)",
        concat(javaJar, List.of("--gateway", description)), "✓ mapped"));
    String baseline = System.getProperty("upnp.tool.baseline");
    if (baseline != null) {
      Path dir = Path.of(baseline).toAbsolutePath();
      list.add(new Contender("baseline build: launcher, warm", concat(concat(env,
          List.of(dir.resolve("upnp-tool").toString())), add), "✓ mapped"));
      list.add(new Contender("baseline build: java -jar, warm", concat(concat(env,
          List.of(java, "-jar", dir.resolve("upnp-tool.jar").toString())), add), "✓ mapped"));
    }
    List<String> weupnp = List.of("-cp", weupnpClassPath, TimedMapping.class.getName());
    list.add(new Contender(WEUPNP, concat(concat(List.of(java), weupnp),
        List.of("weupnp", "" + port)), ""));
    list.add(new Contender(WEUPNP_TUNED, concat(concat(concat(List.of(java), TUNED),
        List.of("-XX:SharedArchiveFile=" + weupnpArchive)), concat(weupnp,
        List.of("weupnp", "" + port))), ""));
    list.add(new Contender(UPNPC, List.of("upnpc", "-e", "bench", "-a",
        host.address(), "" + port, "" + port, "TCP"), "is redirected to internal"));
    list.add(new Contender("floor: java -cp, empty main", concat(concat(List.of(java), weupnp),
        List.of("none")), null));
    list.add(new Contender("floor: launcher's flags, empty main", concat(concat(concat(
        List.of(java), TUNED), weupnp), List.of("none")), null));
    return list;
  }

  private static Contender named(List<Contender> contenders, String name) {
    return contenders.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * Runs {@code c} once inside the host, checks it mapped the port, deletes it (untimed). Runs it
   * under bash, whose {@code times} reports the CPU the command used.
   *
   * @return wall ms, CPU ms
   */
  private static double[] check(Contender c, Host host, String description, int port)
      throws Exception {
    List<String> argv = concat(List.of("bash", "-c", "\"$@\"; s=$?; times >&2; exit $s",
        "bash"), c.argv());
    long start = System.nanoTime();
    ExecResult r = host.run(TIMEOUT, argv.toArray(String[]::new));
    double ms = (System.nanoTime() - start) / 1e6;
    Matcher times = CHILD_TIMES.matcher(r.stderr());
    if (!r.ok() || (c.successText() != null && !r.stdout().contains(c.successText()))
        || !times.find()) {
      throw new IOException(c.name() + " failed: " + r);
    }
    double cpu = 60_000 * (Double.parseDouble(times.group(1)) + Double.parseDouble(times.group(3)))
        + 1000 * (Double.parseDouble(times.group(2)) + Double.parseDouble(times.group(4)));
    if (c.successText() != null) {
      ExecResult delete = host.run(TIMEOUT, "upnpc", "-u", description, "-d", "" + port, "TCP");
      if (!delete.ok()) throw new IOException("could not delete the mapping: " + delete);
    }
    return new double[] {ms, cpu};
  }

  /** Runs TimedMapping inside the host; per round, ms in all, to find, and after finding. */
  private static List<double[]> inJvm(Host host, String... args) throws Exception {
    ExecResult r = host.runJava(TIMEOUT, TimedMapping.class.getName(), args);
    if (!r.ok()) throw new IOException("TimedMapping " + String.join(" ", args) + " failed: " + r);
    List<double[]> rounds = new ArrayList<>();
    Matcher m = ROUND.matcher(r.stdout());
    while (m.find()) {
      double total = Double.parseDouble(m.group(1));
      double find = m.group(2) == null ? Double.NaN : Double.parseDouble(m.group(2));
      rounds.add(new double[] {total, find, total - find});
    }
    return rounds;
  }

  /** weupnp's jar, from this JVM's class path. */
  private static String weupnpJar() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("weupnp")).findFirst()
        .orElseThrow(() -> new IllegalStateException("weupnp is not on the class path"));
  }

  /**
   * A temporary jar of {@link TimedMapping} and its nested classes: all the weupnp main needs
   * besides weupnp, and a jar because AppCDS takes no class directories.
   */
  private static Path benchJar() throws IOException {
    Path classes = Path.of(TimedMapping.class.getProtectionDomain().getCodeSource().getLocation()
        .getPath());
    String prefix = TimedMapping.class.getName().replace('.', '/');
    Path jar = Files.createTempFile("timed-mapping-", ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes.resolve(prefix).getParent())) {
      for (Path file : files.filter(f -> classes.relativize(f).toString().startsWith(prefix))
          .toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    }
    return jar;
  }

  static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + ", " + fields[1] + ", " + fields[2] + " (1, 5, 15 min)";
  }

  static void row(String name, List<Double> ms, String note) {
    System.out.printf("  %-60s %8s / %-8s %s%n", name, fmt(median(ms)), fmt(percentile(ms, 90)),
        note);
  }

  private static List<Double> column(List<double[]> rounds, int i) {
    return rounds.stream().map(r -> r[i]).collect(Collectors.toList());
  }

  static double median(List<Double> values) {
    return percentile(values, 50);
  }

  /** Nearest-rank percentile. */
  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String fmt(double ms) {
    return String.format("%.1f", ms);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
