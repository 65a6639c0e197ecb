package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.DnatRule;
import dev.p2pchat.lab.RunningProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bob's router in home B is power-cycled while he chats with Dave on the internet: it forgets
 * every port mapping, Bob's node maps its port again by itself, and the chat goes on — on the
 * connection that was open, and for a newcomer who dials Bob's address afterwards.
 */
@ExtendWith(LabExtension.class)
class RouterRestartIT {
  /**
   * docs/chat-app.md: the mapping is checked every 30 s, so it is back within that; a router
   * that announces its reboot gets it back at once.
   */
  private static final Duration RESTORED_WITHIN = Duration.ofSeconds(30 + 5);

  @Test
  void aRestartedRouterGetsTheMappingBackAndTheChatGoesOn(Lab lab) throws Exception {
    Home homeB = lab.homeB();
    Host internet = lab.internet();
    try (Scene scene = new Scene("router-restart")) {
      RunningProcess bob = scene.start(homeB.host(), "bob");
      String bobAddress = Scene.sharedAddress(bob);
      int port = Integer.parseInt(bobAddress.substring(bobAddress.indexOf(':') + 1));
      DnatRule bobsMapping = new DnatRule("TCP", port, homeB.host().address(), port);
      assertEquals(List.of(bobsMapping), homeB.router().dnatRules());

      RunningProcess dave = scene.start(internet, "dave", "--no-upnp", "--connect", bobAddress);
      Scene.await(bob, "dave joined (" + internet.address() + ":");
      Scene.await(dave, "bob joined (" + bobAddress + ")");

      // Bob's node maps with PCP, which sees a reboot as the router's epoch falling back by
      // more than RFC 6887's one second of tolerance: let router B be up a few seconds first,
      // as real routers are up for days before they reboot.
      Thread.sleep(3_000);
      scene.transcript().note("restart router B");
      long restarting = System.nanoTime();
      homeB.router().restart();
      bob.claimLine(line -> line.contains("the router had forgotten the port mapping"), RESTORED_WITHIN);
      long restoredMs = (System.nanoTime() - restarting) / 1_000_000;
      scene.transcript().note("mapping restored " + restoredMs + " ms after the restart began");
      assertEquals(List.of(bobsMapping), homeB.router().dnatRules(), scene.transcript()::toString);

      // The open connection carries on (the router's conntrack kept it) ...
      dave.writeLine("still there, bob?");
      Scene.await(bob, "<dave> still there, bob?");
      bob.writeLine("yes, my router just rebooted");
      Scene.await(dave, "<bob> yes, my router just rebooted");

      // ... and a new peer gets in through the mapping the node put back.
      RunningProcess erin = scene.start(internet, "erin", "--no-upnp", "--port", "0",
          "--connect", bobAddress);
      Scene.await(bob, "erin joined (" + internet.address() + ":");
      Scene.await(erin, "bob joined (" + bobAddress + ")");
      erin.writeLine("hi bob");
      Scene.await(bob, "<erin> hi bob");

      bob.writeLine("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
      Scene.await(dave, "bob left (quit)");
      Scene.await(erin, "bob left (quit)");
      assertEquals(List.of(), homeB.router().dnatRules(), scene.transcript()::toString);
    }
  }
}
