package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.RunningProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trusted peers across real routers: what crosses router A's WAN is TLS only; a node with
 * another key at a remembered address is refused with the warning; a stranger using a known
 * peer's nick is shown with its fingerprint; a plaintext client changes nothing.
 */
@ExtendWith(LabExtension.class)
class TrustIT {
  private static final String SECRET = "the treasure is under the third oak";

  @Test
  void theWanSeesNoChatTextAndAnotherKeyAtBobsAddressIsRefused(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    Host internet = lab.internet();
    try (Scene scene = new Scene("trust")) {
      Path pcap = Files.createDirectories(Path.of("target", "e2e", "trust")).resolve("wan-a.pcap").toAbsolutePath();
      Process capture = new ProcessBuilder("ip", "netns", "exec", homeA.router().namespace(),
          "tcpdump", "-i", "wan0", "-U", "-s", "0", "-w", pcap.toString(),
          "tcp and not host " + internet.address()) // the plaintext client below speaks in clear
          .redirectErrorStream(true).redirectOutput(pcap.resolveSibling("tcpdump.txt").toFile()).start();
      try {
        waitForCaptureStart(pcap.resolveSibling("tcpdump.txt"));
        RunningProcess alice = scene.start(homeA.host(), "alice");
        RunningProcess bob = scene.start(homeB.host(), "bob");
        String aliceToken = Scene.sharedToken(alice);
        String bobToken = Scene.sharedToken(bob);
        String bobAddress = Scene.addressOf(bobToken);

        alice.writeLine("/connect " + bobToken);
        Scene.await(alice, "bob joined (" + bobAddress + ")");
        Scene.await(bob, "alice joined (" + Scene.addressOf(aliceToken) + ")");
        alice.writeLine(SECRET);
        Scene.await(bob, "<alice> " + SECRET);
        bob.writeLine("/msg alice {\"type\":\"msg\"} is what I would see in clear");
        Scene.await(alice, "<bob> (private) {\"type\":\"msg\"} is what I would see in clear");

        // A plaintext client on the internet gets a TLS alert and nothing else happens.
        ExecResult plain = internet.run(Duration.ofSeconds(10), "bash", "-c",
            "exec 3<>/dev/tcp/" + Scene.addressOf(aliceToken).replace(':', '/') + "; "
                + "echo '{\"type\":\"hello\",\"protocolVersion\":\"2.0\",\"nick\":\"eve\",\"appVersion\":\"nc\"}' >&3; "
                + "timeout 3 od -An -tx1 <&3");
        assertTrue(plain.stdout().strip().startsWith("15 03 03"), "a TLS alert: " + plain);
        alice.writeLine("/peers");
        Scene.await(alice, "bob ");
        scene.sync(alice);
        assertTrue(alice.seen().stream().noneMatch(l -> l.contains("eve")), scene.transcript()::toString);

        // Bob's node is replaced by one with another key at the same address.
        bob.writeLine("/quit");
        assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
        Scene.await(alice, "bob left (quit)");
        RunningProcess impostor = scene.start(homeB.host(), "bob", "--identity",
            scene.home("bob").resolve("another-identity").toString());
        String impostorToken = Scene.sharedToken(impostor);
        String impostorKey = impostorToken.substring(impostorToken.indexOf('#') + 1);
        alice.writeLine("/connect " + bobAddress);
        String warning = Scene.await(alice, "WARNING: the peer at " + bobAddress + " presented a different key than expected!");
        assertTrue(warning.startsWith("✗ "), warning);
        Scene.await(alice, "expected (remembered for bob at this address since ");
        Scene.await(alice, "presented: " + impostorKey);
        Scene.await(alice, "with /trust " + impostorKey);
        Thread.sleep(500);
        assertTrue(impostor.seen().stream().noneMatch(l -> l.contains("joined")), scene.transcript()::toString);

        // The impostor dials alice itself: it is shown with its fingerprint, never as bob.
        impostor.writeLine("/connect " + aliceToken);
        String shortKey = impostorKey.substring(0, 15);
        Scene.await(alice, "bob (" + shortKey + ") joined");
        Scene.await(impostor, "alice joined");
        impostor.writeLine("it is me, bob");
        Scene.await(alice, "<bob (" + shortKey + ")> it is me, bob");
        alice.writeLine("/quit");
        impostor.writeLine("/quit");
        assertEquals(0, alice.awaitExit(Duration.ofSeconds(10)));
      } finally {
        capture.destroy();
        capture.waitFor(5, TimeUnit.SECONDS);
      }
      byte[] captured = Files.readAllBytes(pcap);
      String text = new String(captured, StandardCharsets.ISO_8859_1);
      assertTrue(captured.length > 5000, "the capture holds the chat: " + captured.length + " bytes");
      // (markers of five bytes or more: two given bytes turn up in 10 KB of ciphertext by chance)
      for (String clear : List.of(SECRET, "treasure", "\"type\"", "{\"type", "\"nick\"", "alice", "hello")) {
        assertFalse(text.contains(clear), "the WAN capture shows " + clear);
      }
    }
  }

  @Test
  void introductionsOfLoopbackLanAndPrivilegedPortsFromTheInternetAreNeverDialled(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    Host internet = lab.internet();
    try (Scene scene = new Scene("introductions")) {
      RunningProcess alice = scene.start(homeA.host(), "alice");
      RunningProcess bob = scene.start(homeB.host(), "bob");
      String aliceAddress = Scene.sharedAddress(alice);
      String bobToken = Scene.sharedToken(bob);
      String someKey = bobToken.substring(bobToken.indexOf('#') + 1);
      String lanNeighbour = homeA.host().address().replaceAll("\\.\\d+$", ".20");
      ExecResult introduced = internet.runJava(Duration.ofSeconds(30), Introducer.class.getName(), aliceAddress,
          "127.0.0.1:50000#" + someKey, lanNeighbour + ":48083#" + someKey,
          homeB.router().wanAddress() + ":22#" + someKey, bobToken);
      assertTrue(introduced.ok() && introduced.stdout().contains("introduced"), introduced.toString());
      // The public one is dialled: alice meets bob through carol's introduction.
      Scene.await(alice, "bob joined (" + Scene.addressOf(bobToken) + ")");
      String log = Files.readString(Path.of("target", "e2e", "introductions", "alice.log"));
      assertTrue(log.contains("127.0.0.1:50000#" + someKey + ": a loopback address; not dialled"), log);
      assertTrue(log.contains(lanNeighbour + ":48083#" + someKey + ": a private address not on our network; not dialled"), log);
      assertTrue(log.contains(homeB.router().wanAddress() + ":22#" + someKey + ": a privileged port; not dialled"), log);
      assertFalse(log.contains("could not connect to introduced"), log);
      alice.writeLine("/quit");
      bob.writeLine("/quit");
      assertEquals(0, alice.awaitExit(Duration.ofSeconds(10)));
    }
  }

  private static void waitForCaptureStart(Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("listening on")) return;
      Thread.sleep(50);
    }
    throw new AssertionError("tcpdump did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
  }
}
