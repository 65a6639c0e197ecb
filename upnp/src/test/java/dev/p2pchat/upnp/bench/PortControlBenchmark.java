package dev.p2pchat.upnp.bench;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NAT-PMP and PCP speed in a real-router lab, router A with NAT-PMP/PCP only (UPnP off):
 * in one warm JVM inside home A ({@link TimedPortControl}, the gateway known), the time to a
 * mapping with each; and as whole processes started inside home A, interleaved run by run, the
 * chat node's launch until its {@code Share this address} line against the same jar's
 * {@code --version}, and {@code natpmpc -a} (libnatpmp's client). Needs root and the packaged
 * chat jar; see docs/benchmarks.md.
 *
 * <p>Arguments (optional): whole-process runs (default 10), in-JVM rounds (default 50).
 */
public final class PortControlBenchmark {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int WARMUPS = 5;
  private static final Pattern ROUND = Pattern.compile(
      "round \\d+ map_ms ([0-9.]+) epoch_ms ([0-9.]+) renew_ms ([0-9.]+)");

  private PortControlBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path jar = Path.of(System.getProperty("chat.jar", "chat-app/target/p2p-chat.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) throw new IOException(jar + " is missing: build it first");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path cache = Files.createTempDirectory("port-control-bench-");
    try (Lab lab = Lab.create()) {
      lab.homeA().router().services(false, true);
      Host host = lab.homeA().host();
      String gateway = lab.homeA().router().lanAddress();
      System.out.printf("NAT-PMP / PCP on router A (miniupnpd, UPnP off), from home A; median /"
          + " p90 in ms; load average at the start: %s%n%n", MappingBenchmark.loadAverage());

      System.out.printf("in one JVM, the gateway known, %d rounds after %d warm-ups:%n", rounds,
          WARMUPS);
      for (String protocol : List.of("natpmp", "pcp")) {
        ExecResult r = host.runJava(TIMEOUT, TimedPortControl.class.getName(), protocol, gateway,
            "42100", "" + rounds, "" + WARMUPS);
        if (!r.ok()) throw new IOException(protocol + " rounds failed: " + r);
        List<Double> map = new ArrayList<>();
        List<Double> epoch = new ArrayList<>();
        List<Double> renew = new ArrayList<>();
        Matcher m = ROUND.matcher(r.stdout());
        while (m.find()) {
          map.add(Double.parseDouble(m.group(1)));
          epoch.add(Double.parseDouble(m.group(2)));
          renew.add(Double.parseDouble(m.group(3)));
        }
        boolean pcp = protocol.equals("pcp");
        row(pcp ? "PCP ANNOUNCE (baseline: a bare round trip)" : "NAT-PMP external address"
            + " (baseline: a bare round trip)", epoch);
        row(pcp ? "PCP map, new (1 round trip)" : "NAT-PMP map, new (address + map)", map);
        row(pcp ? "PCP map, renewal of the same" : "NAT-PMP map, renewal of the same", renew);
      }

      List<Double> version = new ArrayList<>();
      List<Double> unmapped = new ArrayList<>();
      List<Double> share = new ArrayList<>();
      List<Double> natpmpcAddress = new ArrayList<>();
      List<Double> natpmpc = new ArrayList<>();
      for (int run = -1; run < runs; run++) { // run -1 warms the page cache
        double v = timed(host, List.of(java, "-jar", jar.toString(), "--version"));
        double u = toLine(host, java, jar, cache, 42101, "LAN address", "--no-port-mapping");
        double s = toLine(host, java, jar, cache, 42101, "Share this address");
        double g = timed(host, List.of("natpmpc", "-g", gateway));
        double n = timed(host, List.of("natpmpc", "-g", gateway, "-a", "42102", "42102", "tcp", "3600"));
        ExecResult undo = host.run(TIMEOUT, "natpmpc", "-g", gateway, "-a", "42102", "0", "tcp", "0");
        if (!undo.ok()) throw new IOException("natpmpc could not delete: " + undo);
        if (run < 0) continue;
        version.add(v);
        unmapped.add(u);
        share.add(s);
        natpmpcAddress.add(g);
        natpmpc.add(n);
      }
      System.out.printf("%nwhole process started inside home A, %d runs each, interleaved (wall"
          + " ms, from the start of ip netns exec):%n", runs);
      row("p2p-chat.jar --version", version);
      row("p2p-chat.jar --no-port-mapping: launch → LAN address", unmapped);
      row("p2p-chat.jar: launch → Share line (PCP)", share);
      row("natpmpc -g (libnatpmp: the external address only)", natpmpcAddress);
      row("natpmpc -a (libnatpmp: address, then map)", natpmpc);
      System.out.printf("  launch → Share / --version: %.2fx; natpmpc / --version: %.2fx%n",
          median(share) / median(version), median(natpmpc) / median(version));
      System.out.printf("load average at the end: %s%n", MappingBenchmark.loadAverage());
    } finally {
      try (var files = Files.walk(cache)) {
        for (Path p : files.sorted(Collections.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  /** Wall ms of a command run to its end inside {@code host}; it must succeed. */
  private static double timed(Host host, List<String> argv) throws IOException {
    long start = System.nanoTime();
    ExecResult r = host.run(TIMEOUT, argv.toArray(String[]::new));
    double ms = (System.nanoTime() - start) / 1e6;
    if (!r.ok()) throw new IOException(argv + " failed: " + r);
    return ms;
  }

  /** Wall ms from starting the node until it prints a line containing {@code text}; then it quits. */
  private static double toLine(Host host, String java, Path jar, Path cache, int port, String text,
      String... options) throws Exception {
    List<String> argv = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--nick", "bench",
        "--port", "" + port));
    argv.addAll(List.of(options));
    ProcessBuilder pb = host.command(argv.toArray(String[]::new));
    pb.environment().put("XDG_CACHE_HOME", cache.toString());
    pb.environment().put("HOME", cache.toString());
    long start = System.nanoTime();
    try (RunningProcess node = RunningProcess.start(pb)) {
      node.awaitLineContaining(text, TIMEOUT);
      double ms = (System.nanoTime() - start) / 1e6;
      node.writeLine("/quit");
      node.process().waitFor();
      return ms;
    }
  }

  private static void row(String name, List<Double> ms) {
    MappingBenchmark.row(name, ms, "");
  }

  private static double median(List<Double> ms) {
    return MappingBenchmark.median(ms);
  }
}
