package dev.p2pchat.chat.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.DnatRule;
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
      NodeProcess alice = scene.start(homeA.host(), "alice");
      NodeProcess bob = scene.start(homeB.host(), "bob");

      // Each node maps its port on its own router and shares the router's public address.
      String aliceAddress = Scene.sharedAddress(alice);
      String bobAddress = Scene.sharedAddress(bob);
      assertEquals(homeA.router().wanAddress() + ":" + PORT, aliceAddress, scene.transcript()::toString);
      assertEquals(homeB.router().wanAddress() + ":" + PORT, bobAddress, scene.transcript()::toString);
      // both routers speak all three protocols: PCP is preferred
      alice.awaitLine("✓ mapped TCP " + PORT + " → " + homeA.host().address() + ":" + PORT
          + " with PCP (router " + homeA.router().lanAddress() + ")");
      assertEquals(List.of(mapping(homeA)), homeA.router().dnatRules());
      assertEquals(List.of(mapping(homeB)), homeB.router().dnatRules());
      assertFalse(scene.upnpcList(homeA).contains("alice"), scene.transcript()::toString);

      // Alice dials Bob's shared address: through her router's NAT and his router's mapping.
      alice.type("/connect " + bobAddress);
      alice.awaitLine("bob joined (" + bobAddress + ")");
      bob.awaitLine("alice joined (" + aliceAddress + ")");

      alice.type("hello from home A");
      alice.awaitLine("<alice> hello from home A");
      bob.awaitLine("<alice> hello from home A");
      bob.type("hi alice, bob here in home B");
      bob.awaitLine("<bob> hi alice, bob here in home B");
      alice.awaitLine("<bob> hi alice, bob here in home B");
      alice.type("/msg bob just between us");
      bob.awaitLine("<alice> (private) just between us");

      // Carol is on the internet itself: no router answers her search, she is reachable as she is.
      NodeProcess carol = scene.start(internet, "carol");
      // (the wording of the no-router line is the upnp library's; it is marked as a failure)
      carol.awaitLine(l -> l.startsWith("✗ "), NodeProcess.WAIT, "line marked as a failure (no router)");
      carol.awaitLine("This host has a public address: peers can reach it directly.");
      String carolAddress = Scene.sharedAddress(carol);
      assertEquals(internet.address() + ":" + PORT, carolAddress, scene.transcript()::toString);
      bob.type("/connect " + carolAddress);
      bob.awaitLine("carol joined (" + carolAddress + ")");
      carol.awaitLine("bob joined (" + bobAddress + ")");
      // Bob tells Carol where his other peers are; she dials Alice through router A's mapping.
      carol.awaitLine("alice joined (" + aliceAddress + ")");
      alice.awaitLine("carol joined (" + carolAddress + ")");
      bob.type("welcome carol");
      carol.awaitLine("<bob> welcome carol");
      alice.awaitLine("<bob> welcome carol");
      carol.type("thanks bob, hi alice");
      bob.awaitLine("<carol> thanks bob, hi alice");
      alice.awaitLine("<carol> thanks bob, hi alice");

      // Every line was acknowledged: once the last one's ack timeout is over, nobody reports
      // anything unconfirmed. (Waiting is the only way to see that nothing comes.)
      Thread.sleep(Scene.ACK_TIMEOUT.plusMillis(300).toMillis());
      assertEquals(List.of(), unconfirmed(alice, bob, carol), scene.transcript()::toString);

      // A peer that hangs does not acknowledge: that is reported, and only that.
      carol.freeze();
      bob.type("/msg carol are you there?");
      bob.awaitLine(l -> l.equals("! not confirmed by carol: \"are you there?\""),
          Scene.ACK_TIMEOUT.plusSeconds(2), "report of the unacknowledged line");
      carol.thaw();
      carol.awaitLine("<bob> (private) are you there?");

      alice.type("/peers");
      alice.awaitLine(matches("bob +" + Pattern.quote(bobAddress) + " +rtt [0-9.]+ ms +\\(you dialled\\)"),
          NodeProcess.WAIT, "bob in /peers");
      alice.awaitLine(matches("carol +" + Pattern.quote(carolAddress) + " +rtt .*\\(dialled you\\)"),
          NodeProcess.WAIT, "carol in /peers");
      bob.type("/peers");
      bob.awaitLine(matches("alice +" + Pattern.quote(aliceAddress) + " +rtt [0-9.]+ ms +\\(dialled you\\)"),
          NodeProcess.WAIT, "alice in /peers");
      bob.awaitLine(matches("carol +" + Pattern.quote(carolAddress) + " +rtt .*\\(you dialled\\)"),
          NodeProcess.WAIT, "carol in /peers");
      alice.type("/status");
      alice.awaitLine("address to share: " + aliceAddress);
      alice.awaitLine("port mapping: TCP " + aliceAddress + " → " + homeA.host().address() + ":"
          + PORT + " with PCP, checked ");
      alice.awaitLine("external address: " + homeA.router().wanAddress());
      alice.awaitLine("NAT: public");
      alice.awaitLine("peers: 2");
      bob.type("/status");
      bob.awaitLine("peers: 2");
      assertEquals(List.of("bob: ! not confirmed by carol: \"are you there?\""),
          unconfirmed(alice, bob, carol), scene.transcript()::toString);

      // Alice quits: Bob and Carol see her leave, and router A has nothing left.
      alice.type("/quit");
      alice.awaitLine(l -> l.equals("bye"), NodeProcess.WAIT, "bye");
      assertEquals(0, alice.awaitExit(Duration.ofSeconds(10)));
      bob.awaitLine("alice left (quit)");
      carol.awaitLine("alice left (quit)");
      assertEquals(List.of(), homeA.router().dnatRules(), scene.transcript()::toString);
      assertFalse(scene.upnpcList(homeA).contains("alice"), scene.transcript()::toString);
      assertEquals(List.of(mapping(homeB)), homeB.router().dnatRules());

      bob.type("/quit");
      assertEquals(0, bob.awaitExit(Duration.ofSeconds(10)));
      carol.awaitLine("bob left (quit)");
      assertEquals(List.of(), homeB.router().dnatRules(), scene.transcript()::toString);
      carol.type("/quit");
      assertEquals(0, carol.awaitExit(Duration.ofSeconds(10)));
    }
  }

  /** Every "not confirmed" line the nodes printed, after {@link NodeProcess#sync()}ing each. */
  private static List<String> unconfirmed(NodeProcess... nodes) throws Exception {
    for (NodeProcess node : nodes) node.sync();
    return Stream.of(nodes)
        .flatMap(n -> n.linesContaining("not confirmed").stream().map(l -> n.nick() + ": " + l))
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
