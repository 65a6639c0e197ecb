package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.DnatRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alice and Bob in their two homes, the ways a chat starts and ends besides the plain path:
 * both dial each other at the same moment; Alice's program is terminated (Ctrl-C, SIGTERM),
 * then killed outright and started again while router A still holds its old forwarding.
 */
@ExtendWith(LabExtension.class)
class PeerLifecycleIT {
  private static final int PORT = 48083;

  @Test
  void dialingEachOtherAtOnceEndsInOneQuietConnectionAndSigtermCleansUp(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    try (Scene scene = new Scene("dial-at-once")) {
      NodeProcess alice = scene.start(homeA.host(), "alice");
      NodeProcess bob = scene.start(homeB.host(), "bob");
      String aliceAddress = Scene.sharedAddress(alice);
      String bobAddress = Scene.sharedAddress(bob);

      alice.type("/connect " + bobAddress);
      bob.type("/connect " + aliceAddress);
      alice.awaitLine("bob joined (" + bobAddress + ")");
      bob.awaitLine("alice joined (" + aliceAddress + ")");
      // Typed at once, while both connections finish their handshakes a few ms apart and one is
      // closed as a duplicate: the line may go out on that one and is then sent again on the other.
      alice.type("one connection?");
      bob.awaitLine("<alice> one connection?");
      bob.type("one connection.");
      alice.awaitLine("<bob> one connection.");
      for (NodeProcess node : List.of(alice, bob)) {
        List<String> peers = peers(node);
        if (peers.size() != 1) throw scene.failure(node.nick() + " lists " + peers.size() + " peers: " + peers);
      }
      // Nobody was told of a leave, a second join or a problem.
      for (NodeProcess node : List.of(alice, bob)) {
        node.sync();
        List<String> churn = node.lines().stream()
            .filter(l -> l.contains(" joined (") || l.contains(" left (") || l.startsWith("! "))
            .toList();
        if (churn.size() != 1) throw scene.failure(node.nick() + " saw more than one join: " + churn);
      }

      // Ctrl-C or SIGTERM: the same goodbye as /quit, forwarding removed.
      alice.signal("TERM");
      bob.awaitLine("alice left (quit)");
      alice.awaitExit(Duration.ofSeconds(10));
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      bob.type("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
      assertEquals(List.of(), homeB.router().dnatRules(), scene.transcript()::toString);
    }
  }

  /** The lines one /peers prints. */
  private static List<String> peers(NodeProcess node) throws Exception {
    int before = node.lines().size();
    node.type("/peers");
    node.sync();
    List<String> after = node.lines();
    return after.subList(before, after.size()).stream().filter(l -> l.contains(" rtt ")).toList();
  }

  @Test
  void aKilledProgramStartedAgainGetsItsForwardingAndPeerBack(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    try (Scene scene = new Scene("killed-and-restarted")) {
      NodeProcess bob = scene.start(homeB.host(), "bob");
      String bobAddress = Scene.sharedAddress(bob);
      NodeProcess alice = scene.start(homeA.host(), "alice");
      String aliceAddress = Scene.sharedAddress(alice);
      alice.type("/connect " + bobAddress);
      bob.awaitLine("alice joined (" + aliceAddress + ")");

      // The node maps with PCP; its UPnP search, asked beside it, remembers the router when done.
      Path remembered = scene.home("alice").resolve(".cache/p2p-chat/gateway");
      for (int i = 0; i < 200 && !Files.exists(remembered); i++) Thread.sleep(50);

      // No goodbye, no cleanup: Bob notices the socket closed (or reset, if data was still
      // unread on Alice's side when the kernel closed it); router A keeps the forwarding.
      alice.signal("KILL");
      bob.awaitLine("alice left (connection ");
      DnatRule stale = new DnatRule("TCP", PORT, homeA.host().address(), PORT);
      assertEquals(List.of(stale), homeA.router().dnatRules(), scene.transcript()::toString);

      // The program remembered the router in its own cache, not in the cache of whoever runs the tests.
      assertTrue(Files.readString(remembered).contains(homeA.router().descriptionUrl().getHost()),
          () -> remembered + " does not name router A\n" + scene.transcript());

      // Started again, Alice gets the same forwarding and address, and Bob can dial her.
      NodeProcess again = scene.start(homeA.host(), "alice");
      assertEquals(aliceAddress, Scene.sharedAddress(again), scene.transcript()::toString);
      assertEquals(List.of(stale), homeA.router().dnatRules(), scene.transcript()::toString);
      bob.type("/connect " + aliceAddress);
      again.awaitLine("bob joined (" + bobAddress + ")");
      bob.awaitLine("alice joined (" + aliceAddress + ")");
      bob.type("welcome back");
      again.awaitLine("<bob> welcome back");

      again.type("/quit");
      assertEquals(0, again.awaitExit(Duration.ofSeconds(10)));
      bob.awaitLine("alice left (quit)");
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      bob.type("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
    }
  }
}
