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
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Time to a confirmed port mapping, in a real-router lab, ours against weupnp and miniupnpc's
 * upnpc in the same run: in one warm JVM ({@link TimedMapping} inside home A), and as whole
 * processes started inside home A (upnp-tool's jar, weupnp in a small main, upnpc), interleaved
 * run by run so drift hits all alike. Needs root and a built tool jar; see docs/benchmarks.md.
 *
 * <p>Arguments (optional): whole-process runs per contender (default 10), in-JVM rounds
 * (default 20, after 3 warm-ups).
 */
public final class MappingBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int WARMUPS = 3;
  /** The second line of bash's {@code times}: user and system time of its children. */
  private static final Pattern CHILD_TIMES =
      Pattern.compile("\\n(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$");
  private static final Pattern ROUND =
      Pattern.compile("round \\d+ total_ms ([0-9.]+)(?: find_ms ([0-9.]+))?");
  /** JVM flags that cut start-up for a short-lived tool: C1 only, the simplest GC. */
  static final List<String> TUNED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final String UPNPC = "upnpc -a (miniupnpc)";
  private static final String WEUPNP = "weupnp: java -cp (discover, ext IP, add)";

  private MappingBenchmark() {}

  /** A whole-process contender: how to start it inside the host, how to tell it worked. */
  private record Contender(String name, List<String> argv, String successText) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path jar = Path.of(System.getProperty("upnp.tool.jar", "upnp/target/upnp-tool.jar"))
        .toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: build it first (see docs/benchmarks.md)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path archive = Files.createTempFile("upnp-tool-", ".jsa");
    Path cache = Files.createTempDirectory("upnp-tool-cache-");
    try (Lab lab = Lab.create()) {
      Host host = lab.homeA().host();
      String router = lab.homeA().router().lanAddress();
      String description = lab.homeA().router().descriptionUrl().toString();
      int port = 42000;

      System.out.printf("upnp: time to a confirmed TCP mapping on router A (miniupnpd), from"
          + " home A; median / p90 in ms%n%n");
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

      Files.delete(archive); // -XX:ArchiveClassesAtExit wants to create it
      // the dump run also leaves the router remembered in the cache the warm rows use
      check(new Contender("AppCDS dump", concat(concat(List.of("env", "XDG_CACHE_HOME=" + cache,
          java), TUNED), List.of("-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(),
              "add", "" + port)), "✓ mapped"), host, description, port);
      List<Contender> contenders = wholeProcessContenders(java, jar, archive, cache, host,
          description, port);
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
      double upnpc = median(wall.get(named(contenders, UPNPC)));
      double weupnpProcess = median(wall.get(named(contenders, WEUPNP)));
      for (Contender c : contenders) {
        double m = median(wall.get(c));
        row(c.name(), wall.get(c), String.format("CPU %5.0f   %.2fx upnpc, %.2fx weupnp",
            median(cpu.get(c)), m / upnpc, m / weupnpProcess));
      }
    } finally {
      Files.deleteIfExists(archive);
      Files.deleteIfExists(cache.resolve("p2p-chat/gateway"));
      Files.deleteIfExists(cache.resolve("p2p-chat"));
      Files.delete(cache);
    }
  }

  /**
   * The tool's rows: cold ones pass {@code --no-cache} and search; warm ones find the router
   * remembered in {@code cache} (their own XDG_CACHE_HOME, never root's).
   */
  private static List<Contender> wholeProcessContenders(String java, Path jar, Path archive,
      Path cache, Host host, String description, int port) {
    List<String> javaIn = List.of("env", "XDG_CACHE_HOME=" + cache, java);
    List<String> tool = List.of("-jar", jar.toString(), "add", "" + port);
    List<String> cold = concat(tool, List.of("--no-cache"));
    List<String> tuned = concat(concat(javaIn, TUNED), List.of("-XX:SharedArchiveFile=" + archive));
    List<Contender> list = new ArrayList<>();
    list.add(new Contender("upnp-tool: java -jar, cold (--no-cache)", concat(javaIn, cold),
        "✓ mapped"));
    list.add(new Contender("upnp-tool: java -jar, warm (remembered router)", concat(javaIn, tool),
        "✓ mapped"));
    list.add(new Contender("upnp-tool: " + String.join(" ", TUNED) + " + AppCDS, cold",
        concat(tuned, cold), "✓ mapped"));
    list.add(new Contender("upnp-tool: " + String.join(" ", TUNED) + " + AppCDS, warm",
        concat(tuned, tool), "✓ mapped"));
    list.add(new Contender("upnp-tool: java -jar, --gateway (no search)",
        concat(javaIn, concat(tool, List.of("--gateway", description))), "✓ mapped"));
    list.add(new Contender(WEUPNP, List.of(java, "-cp",
        weupnpClassPath(), TimedMapping.class.getName(), "weupnp", "" + port), ""));
    list.add(new Contender(UPNPC, List.of("upnpc", "-e", "bench", "-a",
        host.address(), "" + port, "" + port, "TCP"), "is redirected to internal"));
    list.add(new Contender("floor: java -cp, empty main", List.of(java, "-cp",
        weupnpClassPath(), TimedMapping.class.getName(), "none"), null));
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

  /** Only what the weupnp main needs: this benchmark's classes and weupnp's jar. */
  private static String weupnpClassPath() {
    String codeSource = TimedMapping.class.getProtectionDomain().getCodeSource().getLocation()
        .getPath();
    String weupnp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("weupnp")).findFirst()
        .orElseThrow(() -> new IllegalStateException("weupnp is not on the class path"));
    return codeSource + File.pathSeparator + weupnp;
  }

  private static void row(String name, List<Double> ms, String note) {
    System.out.printf("  %-60s %8s / %-8s %s%n", name, fmt(median(ms)), fmt(percentile(ms, 90)),
        note);
  }

  private static List<Double> column(List<double[]> rounds, int i) {
    return rounds.stream().map(r -> r[i]).collect(Collectors.toList());
  }

  private static double median(List<Double> values) {
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
