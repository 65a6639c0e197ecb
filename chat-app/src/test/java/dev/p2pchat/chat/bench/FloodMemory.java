package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.PeerVerifier;
import dev.p2pchat.chat.trust.TlsEndpoint;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.MessageCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The resident set of a whole node process before, during and after a bounded loopback flood:
 * 50 peers that never read while the node's user pastes 300 lines of 4,000 characters (every
 * queue fills), and 50 peers that send lines as fast as they can for 5 s. Arguments: the JVM
 * options of the node, as one string ("" for none); it runs the node on its own class path. How
 * to run it and the figures: docs/benchmarks.md.
 */
public final class FloodMemory {
  private static final String BIG = "z".repeat(4000);

  private FloodMemory() {}

  public static void main(String[] args) throws Exception {
    List<String> command = new ArrayList<>(List.of(NodeBenchmark.javaBin()));
    if (args.length > 0 && !args[0].isBlank()) command.addAll(Arrays.asList(args[0].trim().split("\\s+")));
    Path log = Files.createTempFile("flood-memory", ".log");
    Path identity = Files.createTempDirectory("flood-memory-identity");
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.p2pchat.chat.Main",
        "--no-port-mapping", "--port", "0", "--nick", "hub", "--log-file", log.toString(),
        "--identity", identity.toString()));
    Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      for (String line = out.readLine(); port < 0; line = out.readLine()) {
        if (line == null) throw new IllegalStateException("the node ended");
        if (line.startsWith("Listening on TCP port ")) port = Integer.parseInt(line.split(" ")[4]);
      }
      CompletableFuture.runAsync(() -> out.lines().count()); // the screen, drained
      Thread.sleep(3000);
      long idle = rssKib(node);

      List<Socket> peers = new ArrayList<>();
      for (int i = 0; i < 50; i++) peers.add(peer(port, "sloth" + i, 4096));
      List<Thread> flooders = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Socket s = peer(port, "flood" + i, 0);
        peers.add(s);
        String nick = "flood" + i;
        Thread t = new Thread(() -> flood(s, nick));
        t.start();
        flooders.add(t);
      }
      Thread.sleep(1000);
      PrintStream in = new PrintStream(node.getOutputStream(), true, StandardCharsets.UTF_8);
      long peak = 0;
      for (int i = 0; i < 300; i++) {
        in.println(i + BIG);
        if (i % 20 == 0) peak = Math.max(peak, rssKib(node));
      }
      for (int i = 0; i < 25; i++) {
        Thread.sleep(200);
        peak = Math.max(peak, rssKib(node));
      }
      for (Thread t : flooders) t.join();
      for (Socket s : peers) s.close();
      Thread.sleep(15_000);
      long after = rssKib(node);
      System.out.printf("node JVM options [%s]: RSS idle %.1f MB, peak during the flood %.1f MB, 15 s after %.1f MB; log %.1f MB%n",
          args.length > 0 ? args[0] : "", idle / 1024.0, peak / 1024.0, after / 1024.0, Files.size(log) / 1e6);
      in.println("/quit");
    } finally {
      node.destroy();
      node.waitFor();
      Files.deleteIfExists(log);
      try (var files = Files.walk(identity)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * A peer over TLS with a key of its own that has said hello; with {@code receiveBuffer} > 0,
   * its receive buffer is that small.
   */
  private static Socket peer(int port, String nick, int receiveBuffer) throws IOException {
    Socket tcp = new Socket();
    if (receiveBuffer > 0) tcp.setReceiveBufferSize(receiveBuffer);
    tcp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
    Socket s = new TlsEndpoint(Identity.generate(), Duration.ofSeconds(10))
        .secureDialled(tcp, PeerVerifier.firstUse()).socket();
    s.getOutputStream().write(MessageCodec.frame(Hello.of(nick, "flood 1", null)));
    return s;
  }

  /** Sends lines as fast as the socket takes them for 5 s, or until the node drops it. */
  private static void flood(Socket s, String nick) {
    long end = System.nanoTime() + 5_000_000_000L;
    try {
      OutputStream o = s.getOutputStream();
      CompletableFuture.runAsync(() -> drain(s));
      for (int i = 0; System.nanoTime() < end; i++) {
        o.write(MessageCodec.frame(new ChatMessage(nick + "-" + i, nick, BIG, System.currentTimeMillis(), null)));
      }
    } catch (IOException e) {
      // dropped by the node: the flood is over for this one
    }
  }

  private static void drain(Socket s) {
    try {
      s.getInputStream().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // closed
    }
  }

  private static long rssKib(Process p) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IllegalStateException("no VmRSS");
  }
}
