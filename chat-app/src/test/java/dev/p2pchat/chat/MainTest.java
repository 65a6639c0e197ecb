package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.PeerLeft;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the program's plain line mode in-process, the way scripts and end-to-end tests drive it. */
class MainTest {
  @Test
  void badOptionsExitWithStatus2AndUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"--colour"}, System.in, System.out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("p2p-chat: Unknown option: '--colour'\nUsage: java -jar p2p-chat.jar "), text);
  }

  @Test
  void plainModeSession() throws Exception {
    try (TestNode bob = TestNode.start("bob"); Session alice = new Session("--nick", "alice", "--no-upnp", "--port", "0")) {
      alice.awaitLine("Listening on TCP port ");
      alice.awaitLine("Port mapping is off (--no-port-mapping)");
      // A LAN address, or shared directly if this machine's own address is a public one.
      alice.awaitMatch("(LAN address|Share this address): \\S+:\\d+#[A-Z2-7-]{63}");

      alice.type("Share this address: 127.0.0.1:" + bob.node().port()); // the line bob sent her
      assertEquals("Connecting to 127.0.0.1:" + bob.node().port() + " (from the pasted share line)…",
          alice.awaitLine("Connecting to"));
      assertEquals("bob joined (127.0.0.1:" + bob.node().port() + ")", alice.awaitLine("bob joined"));
      bob.view().await(ChatEvent.PeerJoined.class, j -> j.nick().equals("alice"));

      bob.node().broadcast("hello alice");
      assertEquals("<bob> hello alice", alice.awaitLine("<bob>"));
      alice.type("hi bob");
      assertEquals("<alice> hi bob", alice.awaitLine("<alice>"));
      bob.view().await(Chat.class, c -> c.message().equals("hi bob"));

      alice.type("a".repeat(4000) + " " + "b".repeat(4000) + " " + "c".repeat(1000)); // over the 4096 limit
      assertEquals("(sent as 3 lines, each at most 4096 characters)", alice.awaitLine("(sent as"));
      bob.view().await(Chat.class, c -> c.message().startsWith("c"));
      assertEquals(List.of("hi bob", "a".repeat(4000), "b".repeat(4000), "c".repeat(1000)),
          bob.view().all(Chat.class).stream().filter(c -> !c.from().equals("bob")).map(Chat::message).toList());

      alice.type("/peers");
      assertTrue(alice.awaitLine("bob ").contains("127.0.0.1:" + bob.node().port()));

      alice.type("/quit");
      assertEquals(0, alice.exitStatus());
      assertEquals("bye", alice.lastLine());
      assertEquals("alice left (quit)", bob.view().await(PeerLeft.class, l -> true).text());
      assertTrue(alice.lines.stream().noneMatch(l -> l.contains("\u001b")), "escape codes in plain mode");
    }
  }

  @Test
  void anIdentityInUseStopsASecondNodeWithStatus2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String identity = dir.resolve("shared").toString();
    try (Session first = new Session("--nick", "alice", "--no-upnp", "--port", "0", "--identity", identity)) {
      String fingerprint = first.awaitLine("Your fingerprint: ").split(" ")[2];
      try (Session second = new Session("--nick", "bob", "--no-upnp", "--port", "0", "--identity", identity)) {
        assertEquals("✗ the identity in " + identity + " (" + fingerprint.substring(0, 15) + ") is in use by"
            + " another running node; stop that node, or give this one another --identity DIR",
            second.awaitLine("in use"));
        assertEquals(2, second.exitStatus());
      }
      first.stdin.close();
      assertEquals(0, first.exitStatus());
    }
    try (Session again = new Session("--nick", "alice", "--no-upnp", "--port", "0", "--identity", identity)) {
      again.awaitLine("Your fingerprint: ");
      again.stdin.close();
      assertEquals(0, again.exitStatus(), "the first node let the identity go");
    }
  }

  @Test
  void aSecondNodeOfTheSameUserTakesIdentity2AndSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
    List<Process> nodes = new java.util.ArrayList<>();
    try {
      for (String nick : List.of("alice", "alice2")) {
        nodes.add(new ProcessBuilder(
            java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
            "--nick", nick, "--no-upnp", "--port", "0")
            .redirectErrorStream(true).redirectOutput(home.resolve(nick + ".txt").toFile()).start());
        awaitFileLine(home.resolve(nick + ".txt"), "Listening on TCP port");
      }
      java.nio.file.Path first = home.resolve(".p2p-chat/identity");
      String second = awaitFileLine(home.resolve("alice2.txt"), "is in use by another running node");
      assertTrue(second.startsWith(first + " is in use by another running node ("), second);
      assertTrue(second.endsWith(", so this node uses " + home.resolve(".p2p-chat/identity-2")
          + ": peers see it as another node"), second);
      String one = awaitFileLine(home.resolve("alice.txt"), "Your fingerprint: ");
      String two = awaitFileLine(home.resolve("alice2.txt"), "Your fingerprint: ");
      assertFalse(one.equals(two), "two nodes, two keys: " + one);
    } finally {
      nodes.forEach(Process::destroy);
    }
  }

  private static String awaitFileLine(java.nio.file.Path file, String fragment) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.exists(file)) {
        for (String line : java.nio.file.Files.readAllLines(file)) if (line.contains(fragment)) return line;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no line with \"" + fragment + "\" in " + file);
  }

  @Test
  void endOfInputQuits() throws Exception {
    try (Session s = new Session("--nick", "carol", "--no-upnp", "--port", "0", "--connect", "127.0.0.1:1")) {
      s.awaitLine("could not connect to 127.0.0.1:1: connection refused");
      s.stdin.close();
      assertEquals(0, s.exitStatus());
      assertEquals("bye", s.lastLine());
    }
  }

  @Test
  void sigtermSaysByeToPeers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
    try (TestNode bob = TestNode.start("bob")) {
      Process p = new ProcessBuilder(
          java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "--nick", "alice", "--no-upnp", "--port", "0", "--connect", "127.0.0.1:" + bob.node().port())
          .redirectErrorStream(true).redirectOutput(home.resolve("out.txt").toFile()).start();
      try (java.io.OutputStream stdin = p.getOutputStream()) { // held open: end of input would quit
        bob.view().await(ChatEvent.PeerJoined.class, j -> j.nick().equals("alice"), java.time.Duration.ofSeconds(20));
        Thread.sleep(500);
        assertTrue(p.isAlive(), "ended early: " + java.nio.file.Files.readString(home.resolve("out.txt")));
        long start = System.nanoTime();
        p.destroy(); // SIGTERM
        assertEquals("alice left (quit)", bob.view().await(PeerLeft.class, l -> true).text());
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "still running after SIGTERM");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 2000, "took " + ms + " ms to quit");
        assertTrue(java.nio.file.Files.readString(home.resolve(".p2p-chat/p2p-chat.log")).contains("closing node"),
            "logs go to the file in the home directory");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(home.resolve(".p2p-chat"))));
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aLogFileThatCannotBeWrittenIsOneLineAndStatus2(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
    java.nio.file.Path log = home.resolve("missing/chat.log");
    Process p = new ProcessBuilder(
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--no-upnp", "--port", "0", "--log-file", log.toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), output);
    assertEquals("p2p-chat: --log-file: cannot write " + log + ": no such directory " + log.getParent() + "\n", output);
  }

  /** Main.run on a thread with piped standard input and output. */
  private static final class Session implements AutoCloseable {
    final PipedOutputStream stdin = new PipedOutputStream();
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> status;
    /** The identity directory made for this session, deleted when it closes; null if given. */
    private java.nio.file.Path identity;

    /** Runs with {@code args} and, unless they give one, an identity of its own, not the user's. */
    Session(String... args) throws IOException {
      String[] all = args;
      if (!List.of(args).contains("--identity")) {
        identity = java.nio.file.Files.createTempDirectory("p2p-chat-identity-");
        all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
            java.util.stream.Stream.of("--identity", identity.toString())).toArray(String[]::new);
      }
      String[] run = all;
      PipedInputStream in = new PipedInputStream(stdin);
      PrintStream out = new PrintStream(new LineSink(), true, StandardCharsets.UTF_8);
      status = CompletableFuture.supplyAsync(() -> Main.run(run, in, out, out));
    }

    /** Splits what the program writes into lines as they come. */
    private final class LineSink extends OutputStream {
      private final ByteArrayOutputStream line = new ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        if (b != '\n') {
          line.write(b);
          return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        lines.add(text);
        unread.add(text);
      }
    }

    void type(String line) throws IOException {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    /** The next output line containing {@code fragment}. */
    String awaitLine(String fragment) throws InterruptedException {
      return await(fragment, line -> line.contains(fragment));
    }

    /** The next output line matching {@code regex}. */
    String awaitMatch(String regex) throws InterruptedException {
      return await(regex, line -> line.matches(regex));
    }

    private String await(String what, java.util.function.Predicate<String> test) throws InterruptedException {
      while (true) {
        String line = unread.poll(5, TimeUnit.SECONDS);
        if (line == null) throw new AssertionError("no line like \"" + what + "\" in " + lines);
        if (test.test(line)) return line;
      }
    }

    int exitStatus() throws Exception {
      return status.get(5, TimeUnit.SECONDS);
    }

    String lastLine() throws InterruptedException {
      Thread.sleep(100);
      return lines.get(lines.size() - 1);
    }

    @Override
    public void close() throws IOException {
      stdin.close();
      if (identity == null) return;
      try {
        status.get(5, TimeUnit.SECONDS); // the node lets its identity go when it ends
      } catch (Exception e) {
        // deleted all the same
      }
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(identity)) {
        for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(f);
        }
      }
    }
  }
}
