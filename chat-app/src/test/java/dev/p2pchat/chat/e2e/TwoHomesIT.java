package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.DnatRule;
import dev.p2pchat.lab.RunningProcess;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alice in home A and Bob in home B, each behind a real miniupnpd router, run the chat program
 * itself; Carol runs it on a machine on the internet with no router at all, and meets Alice
 * through Bob. Everything is checked
 * from what the programs print, from the routers' NAT rules and with {@code upnpc}.
 */
@ExtendWith(LabExtension.class)
class TwoHomesIT {
  private static final String PORT = "48083";

  @Test
  void twoHomesChatThroughTheirRoutersAndLeaveNoMappingBehind(Lab lab) throws Exception {
    Home homeA = lab.homeA();
    Home homeB = lab.homeB();
    Host internet = lab.internet();
    try (Scene scene = new Scene("two-homes")) {
      RunningProcess alice = scene.start(homeA.host(), "alice");
      RunningProcess bob = scene.start(homeB.host(), "bob");

      // Each node maps its port on its own router and shares the router's public address.
      String aliceAddress = Scene.sharedAddress(alice);
      String bobToken = Scene.sharedToken(bob);
      String bobAddress = Scene.addressOf(bobToken);
      assertEquals(homeA.router().wanAddress() + ":" + PORT, aliceAddress, scene.transcript()::toString);
      assertEquals(homeB.router().wanAddress() + ":" + PORT, bobAddress, scene.transcript()::toString);
      // both routers speak all three protocols: PCP is preferred
      Scene.await(alice, "✓ mapped TCP " + PORT + " → " + homeA.host().address() + ":" + PORT
          + " with PCP (router " + homeA.router().lanAddress() + ")");
      assertEquals(List.of(mapping(homeA)), homeA.router().dnatRules());
      assertEquals(List.of(mapping(homeB)), homeB.router().dnatRules());
      assertFalse(scene.upnpcList(homeA).contains("alice"), scene.transcript()::toString);

      // Alice dials Bob's shared address: through her router's NAT and his router's mapping,
      // accepting only the key his share line names.
      alice.writeLine("/connect " + bobToken);
      Scene.await(alice, "bob joined (" + bobAddress + ")");
      Scene.await(bob, "alice joined (" + aliceAddress + ")");

      alice.writeLine("hello from home A");
      Scene.await(alice, "<alice> hello from home A");
      Scene.await(bob, "<alice> hello from home A");
      bob.writeLine("hi alice, bob here in home B");
      Scene.await(bob, "<bob> hi alice, bob here in home B");
      Scene.await(alice, "<bob> hi alice, bob here in home B");
      alice.writeLine("/msg bob just between us");
      Scene.await(bob, "<alice> (private) just between us");

      // Carol is on the internet itself: no router answers her search, she is reachable as she is.
      RunningProcess carol = scene.start(internet, "carol");
      // (the wording of the no-router line is the upnp library's; it is marked as a failure)
      carol.claimLine(l -> l.startsWith("✗ "), Scene.WAIT);
      Scene.await(carol, "This host has a public address: peers can reach it directly.");
      String carolAddress = Scene.sharedAddress(carol);
      assertEquals(internet.address() + ":" + PORT, carolAddress, scene.transcript()::toString);
      bob.writeLine("/connect " + carolAddress);
      Scene.await(bob, "carol joined (" + carolAddress + ")");
      Scene.await(carol, "bob joined (" + bobAddress + ")");
      // Bob tells Carol where his other peers are; she dials Alice through router A's mapping.
      Scene.await(carol, "alice joined (" + aliceAddress + ")");
      Scene.await(alice, "carol joined (" + carolAddress + ")");
      bob.writeLine("welcome carol");
      Scene.await(carol, "<bob> welcome carol");
      Scene.await(alice, "<bob> welcome carol");
      carol.writeLine("thanks bob, hi alice");
      Scene.await(bob, "<carol> thanks bob, hi alice");
      Scene.await(alice, "<carol> thanks bob, hi alice");

      // Every line was acknowledged: once the last one's ack timeout is over, nobody reports
      // anything unconfirmed. (Waiting is the only way to see that nothing comes.)
      Thread.sleep(Scene.ACK_TIMEOUT.plusMillis(300).toMillis());
      assertEquals(List.of(), unconfirmed(scene, alice, bob, carol), scene.transcript()::toString);

      // A peer that hangs does not acknowledge: that is reported, and only that.
      scene.signal(carol, "STOP");
      bob.writeLine("/msg carol are you there?");
      bob.claimLine(l -> l.equals("! not confirmed by carol: \"are you there?\""), Scene.ACK_TIMEOUT.plusSeconds(2));
      scene.signal(carol, "CONT");
      Scene.await(carol, "<bob> (private) are you there?");

      alice.writeLine("/peers");
      alice.claimLine(matches("bob +" + Pattern.quote(bobAddress) + " +rtt [0-9.]+ ms +\\(you dialled\\)"), Scene.WAIT);
      alice.claimLine(matches("carol +" + Pattern.quote(carolAddress) + " +rtt .*\\(dialled you\\)"), Scene.WAIT);
      bob.writeLine("/peers");
      bob.claimLine(matches("alice +" + Pattern.quote(aliceAddress) + " +rtt [0-9.]+ ms +\\(dialled you\\)"), Scene.WAIT);
      bob.claimLine(matches("carol +" + Pattern.quote(carolAddress) + " +rtt .*\\(you dialled\\)"), Scene.WAIT);
      alice.writeLine("/status");
      Scene.await(alice, "address to share: " + aliceAddress);
      Scene.await(alice, "port mapping: TCP " + aliceAddress + " → " + homeA.host().address() + ":"
          + PORT + " with PCP, checked ");
      Scene.await(alice, "external address: " + homeA.router().wanAddress());
      Scene.await(alice, "NAT: public");
      Scene.await(alice, "peers: 2");
      bob.writeLine("/status");
      Scene.await(bob, "peers: 2");
      assertEquals(List.of("bob: ! not confirmed by carol: \"are you there?\""),
          unconfirmed(scene, alice, bob, carol), scene.transcript()::toString);

      // Alice quits: Bob and Carol see her leave, and router A has nothing left.
      alice.writeLine("/quit");
      alice.claimLine(l -> l.equals("bye"), Scene.WAIT);
      assertEquals(0, alice.awaitExit(Duration.ofSeconds(10)));
      Scene.await(bob, "alice left (quit)");
      Scene.await(carol, "alice left (quit)");
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      assertFalse(scene.upnpcList(homeA).contains("alice"), scene.transcript()::toString);
      assertEquals(List.of(mapping(homeB)), homeB.router().dnatRules());

      bob.writeLine("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
      Scene.await(carol, "bob left (quit)");
      assertEquals(List.of(), homeB.router().dnatRules(), scene.transcript()::toString);
      carol.writeLine("/quit");
      assertEquals(0, carol.awaitExit(Duration.ofSeconds(10)));
    }
  }

  /** Every "not confirmed" line the nodes printed, after {@link Scene#sync}ing each. */
  private static List<String> unconfirmed(Scene scene, RunningProcess... nodes) throws Exception {
    for (RunningProcess node : nodes) scene.sync(node);
    return Stream.of(nodes)
        .flatMap(n -> n.seen().stream().filter(l -> l.contains("not confirmed")).map(l -> scene.nick(n) + ": " + l))
        .collect(Collectors.toList());
  }

  private static DnatRule mapping(Home home) {
    int port = Integer.parseInt(PORT);
    return new DnatRule("TCP", port, home.host().address(), port);
  }

  private static java.util.function.Predicate<String> matches(String regex) {
    Pattern p = Pattern.compile(regex);
    return line -> p.matcher(line).find();
  }
}
