package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.DnatRule;
import dev.p2pchat.lab.RunningProcess;
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
      RunningProcess alice = scene.start(homeA.host(), "alice");
      RunningProcess bob = scene.start(homeB.host(), "bob");
      String aliceAddress = Scene.sharedAddress(alice);
      String bobAddress = Scene.sharedAddress(bob);

      alice.writeLine("/connect " + bobAddress);
      bob.writeLine("/connect " + aliceAddress);
      Scene.await(alice, "bob joined (" + bobAddress + ")");
      Scene.await(bob, "alice joined (" + aliceAddress + ")");
      // Typed at once, while both connections finish their handshakes a few ms apart and one is
      // closed as a duplicate: the line may go out on that one and is then sent again on the other.
      alice.writeLine("one connection?");
      Scene.await(bob, "<alice> one connection?");
      bob.writeLine("one connection.");
      Scene.await(alice, "<bob> one connection.");
      for (RunningProcess node : List.of(alice, bob)) {
        List<String> peers = peers(scene, node);
        if (peers.size() != 1) throw scene.failure(scene.nick(node) + " lists " + peers.size() + " peers: " + peers);
      }
      // Nobody was told of a leave, a second join or a problem.
      for (RunningProcess node : List.of(alice, bob)) {
        scene.sync(node);
        List<String> churn = node.seen().stream()
            .filter(l -> l.contains(" joined (") || l.contains(" left (") || l.startsWith("! "))
            .toList();
        if (churn.size() != 1) throw scene.failure(scene.nick(node) + " saw more than one join: " + churn);
      }

      // Ctrl-C or SIGTERM: the same goodbye as /quit, forwarding removed.
      scene.signal(alice, "TERM");
      Scene.await(bob, "alice left (quit)");
      alice.awaitExit(Duration.ofSeconds(10));
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      bob.writeLine("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
      assertEquals(List.of(), homeB.router().dnatRules(), scene.transcript()::toString);
    }
  }

  /** The lines one /peers prints. */
  private static List<String> peers(Scene scene, RunningProcess node) throws Exception {
    int before = node.seen().size();
    node.writeLine("/peers");
    scene.sync(node);
    List<String> after = node.seen();
    return after.subList(before, after.size()).stream().filter(l -> l.contains(" rtt ")).toList();
  }

  @Test
  void aKilledProgramStartedAgainGetsItsForwardingAndPeerBack(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    try (Scene scene = new Scene("killed-and-restarted")) {
      RunningProcess bob = scene.start(homeB.host(), "bob");
      String bobAddress = Scene.sharedAddress(bob);
      RunningProcess alice = scene.start(homeA.host(), "alice");
      String aliceAddress = Scene.sharedAddress(alice);
      alice.writeLine("/connect " + bobAddress);
      Scene.await(bob, "alice joined (" + aliceAddress + ")");

      // The node maps with PCP; its UPnP search, asked beside it, remembers the router when done.
      Path remembered = scene.home("alice").resolve(".cache/p2p-chat/gateway");
      for (int i = 0; i < 200 && !Files.exists(remembered); i++) Thread.sleep(50);

      // No goodbye, no cleanup: Bob notices the socket closed (or reset, if data was still
      // unread on Alice's side when the kernel closed it); router A keeps the forwarding.
      scene.signal(alice, "KILL");
      Scene.await(bob, "alice left (connection ");
      DnatRule stale = new DnatRule("TCP", PORT, homeA.host().address(), PORT);
      assertEquals(List.of(stale), homeA.router().dnatRules(), scene.transcript()::toString);

      // The program remembered the router in its own cache, not in the cache of whoever runs the tests.
      assertTrue(Files.readString(remembered).contains(homeA.router().descriptionUrl().getHost()),
          () -> remembered + " does not name router A\n" + scene.transcript());

      // Started again, Alice gets the same forwarding and address, and Bob can dial her.
      RunningProcess again = scene.start(homeA.host(), "alice");
      assertEquals(aliceAddress, Scene.sharedAddress(again), scene.transcript()::toString);
      assertEquals(List.of(stale), homeA.router().dnatRules(), scene.transcript()::toString);
      bob.writeLine("/connect " + aliceAddress);
      Scene.await(again, "bob joined (" + bobAddress + ")");
      Scene.await(bob, "alice joined (" + aliceAddress + ")");
      bob.writeLine("welcome back");
      Scene.await(again, "<bob> welcome back");

      again.writeLine("/quit");
      assertEquals(0, again.awaitExit(Duration.ofSeconds(10)));
      Scene.await(bob, "alice left (quit)");
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      bob.writeLine("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
    }
  }
}
