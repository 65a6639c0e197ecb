package dev.p2pchat.lab.bench;

import dev.p2pchat.lab.Lab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long a lab takes to build and tear down, against a baseline measured in the same run:
 * adding and deleting five bare network namespaces with one {@code ip -batch} each, the floor
 * under any namespace lab. Run as root; see docs/lab.md for the command.
 */
public final class LabBenchmark {
  private LabBenchmark() {}

  /** Optional argument: rounds (default 10). */
  public static void main(String[] args) throws IOException, InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<Double> create = new ArrayList<>();
    List<Double> close = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    Lab.create().close(); // warm-up: class loading, page cache
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      Lab lab = Lab.create();
      long t1 = System.nanoTime();
      lab.close();
      long t2 = System.nanoTime();
      create.add((t1 - t0) / 1e6);
      close.add((t2 - t1) / 1e6);
      bare.add(bareNamespaces(i));
    }
    double baseline = median(bare);
    System.out.printf("rounds: %d%n", rounds);
    System.out.printf("baseline, 5 bare namespaces add+del: median %.1f ms%n", baseline);
    System.out.printf("Lab.create(): median %.1f ms (%.1fx baseline)%n", median(create),
        median(create) / baseline);
    System.out.printf("Lab.close():  median %.1f ms (%.1fx baseline)%n", median(close),
        median(close) / baseline);
  }

  private static double bareNamespaces(int round) throws IOException, InterruptedException {
    String prefix = "p2pl-" + ProcessHandle.current().pid() + "-" + (1000 + round) + "-bench";
    StringBuilder add = new StringBuilder();
    StringBuilder del = new StringBuilder();
    for (int n = 0; n < 5; n++) {
      add.append("netns add ").append(prefix).append(n).append('\n');
      del.append("netns del ").append(prefix).append(n).append('\n');
    }
    long t0 = System.nanoTime();
    ipBatch(add.toString());
    ipBatch(del.toString());
    return (System.nanoTime() - t0) / 1e6;
  }

  private static void ipBatch(String script) throws IOException, InterruptedException {
    Process ip = new ProcessBuilder("ip", "-batch", "-").redirectErrorStream(true).start();
    ip.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    ip.getOutputStream().close();
    String output = new String(ip.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8);
    if (ip.waitFor() != 0) {
      throw new IOException("ip -batch failed: " + output);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
