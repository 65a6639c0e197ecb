package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.RunningProcess;
import dev.p2pchat.lab.DnatRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routers that speak only some of the protocols: home A's router NAT-PMP/PCP only, home B's
 * UPnP only; each node maps its port with what its router speaks, and the two chat. A node
 * whose router offers nothing says so, keeps looking, and maps once the router offers NAT-PMP.
 */
@ExtendWith(LabExtension.class)
class MappingProtocolsIT {
  private static final String PORT = "48083";

  @AfterEach
  void allOnAgain(Lab lab) throws Exception {
    lab.homeA().router().services(true, true);
    lab.homeB().router().services(true, true);
  }

  @Test
  void aPcpOnlyHomeAndAUpnpOnlyHomeChatAndLeaveNothingBehind(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    homeA.router().services(false, true);
    homeB.router().services(true, false);
    try (Scene scene = new Scene("mapping-protocols")) {
      RunningProcess alice = scene.start(homeA.host(), "alice");
      RunningProcess bob = scene.start(homeB.host(), "bob");
      Scene.await(alice, "✓ mapped TCP " + PORT + " → " + homeA.host().address() + ":" + PORT
          + " with PCP (router " + homeA.router().lanAddress() + ")");
      Scene.await(bob, "✓ mapped TCP " + PORT + " → " + homeB.host().address() + ":" + PORT
          + " with UPnP (router p2p-chat lab router B at " + homeB.router().lanAddress() + ")");
      String aliceAddress = Scene.sharedAddress(alice);
      String bobAddress = Scene.sharedAddress(bob);
      assertEquals(homeA.router().wanAddress() + ":" + PORT, aliceAddress, scene.transcript()::toString);
      assertEquals(homeB.router().wanAddress() + ":" + PORT, bobAddress, scene.transcript()::toString);
      assertEquals(List.of(mapping(homeA)), homeA.router().dnatRules());
      assertEquals(List.of(mapping(homeB)), homeB.router().dnatRules());

      bob.writeLine("/connect " + aliceAddress); // through router A's PCP mapping
      Scene.await(bob, "alice joined (" + aliceAddress + ")");
      Scene.await(alice, "bob joined (" + bobAddress + ")");
      alice.writeLine("hello over PCP");
      Scene.await(bob, "<alice> hello over PCP");
      bob.writeLine("hello over UPnP");
      Scene.await(alice, "<bob> hello over UPnP");

      alice.writeLine("/status");
      Scene.await(alice, "port mapping: TCP " + aliceAddress + " → " + homeA.host().address() + ":"
          + PORT + " with PCP, checked ");
      bob.writeLine("/status");
      Scene.await(bob, "port mapping: TCP " + bobAddress + " → " + homeB.host().address() + ":"
          + PORT + " with UPnP, checked ");

      alice.writeLine("/quit");
      assertEquals(0, alice.awaitExit(Duration.ofSeconds(10)));
      bob.writeLine("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      assertEquals(List.of(), homeB.router().dnatRules(), scene.transcript()::toString);
    }
  }

  @Test
  void aRouterOfferingNothingIsSaidAndTheNodeMapsWhenItComesBack(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    homeA.router().services(false, false);
    try (Scene scene = new Scene("mapping-comes-back")) {
      RunningProcess alice = scene.start(homeA.host(), "alice");
      alice.claimLine(l -> l.startsWith("✗ ") && l.contains("still trying in the background"),
          Scene.WAIT);
      Scene.await(alice, "LAN address: " + homeA.host().address() + ":" + PORT);
      alice.writeLine("/status");
      Scene.await(alice, "LAN address (peers outside it cannot dial it): " + homeA.host().address());
      Scene.await(alice, "port mapping: none (");

      scene.transcript().note("router A offers NAT-PMP and PCP again");
      homeA.router().services(false, true);
      Scene.await(alice, "✓ mapped TCP " + PORT + " → " + homeA.host().address() + ":" + PORT
          + " with PCP (router " + homeA.router().lanAddress() + ")");
      assertEquals(homeA.router().wanAddress() + ":" + PORT, Scene.sharedAddress(alice));
      assertEquals(List.of(mapping(homeA)), homeA.router().dnatRules());

      alice.writeLine("/quit");
      assertEquals(0, alice.awaitExit(Duration.ofSeconds(10)));
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
    }
  }

  private static DnatRule mapping(Home home) {
    return new DnatRule("TCP", Integer.parseInt(PORT), home.host().address(), Integer.parseInt(PORT));
  }
}
