package dev.p2pchat.upnp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.DnatRule;
import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.Router;
import dev.p2pchat.lab.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mappings that leave others' alone, against router A's real miniupnpd — which lets a host
 * replace any mapping to its own address, so two mappings of one host are the hard case.
 */
@ExtendWith(LabExtension.class)
class HonestMappingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /**
   * "Minutes" compressed: a 10 s lease renewed every 5 s and a check every second, held for
   * 25 s, is five renewals and 25 checks of each mapping — where two mappings used to take the
   * port from each other at every check.
   */
  private static final int LEASE_SECONDS = 10;
  private static final int ROUNDS = 5;

  @Test
  void aSecondMappingOfAHeldPortGetsAnotherAndTheFirstKeepsItsOwn(Lab lab) throws Exception {
    Host host = lab.homeA().host();
    Router router = lab.homeA().router();
    try (RunningProcess first = hold(host, 40300, 40300)) {
      assertEquals("mapped " + router.wanAddress() + ":40300", mapped(first));
      RunningProcess second = hold(host, 40301, 40300);
      int secondPort = port(mapped(second));
      assertNotEquals(40300, secondPort);
      DnatRule firstRule = new DnatRule("TCP", 40300, host.address(), 40300);
      DnatRule secondRule = new DnatRule("TCP", secondPort, host.address(), 40301);

      for (int round = 0; round < ROUNDS; round++) {
        TimeUnit.SECONDS.sleep(LEASE_SECONDS / 2);
        assertEquals(Set.of(firstRule, secondRule), Set.copyOf(router.dnatRules()),
            "round " + round + ": " + first.seen() + " / " + second.seen());
      }
      try (second) {
        close(second); // quitting removes only its own
      }
      assertEquals(List.of(firstRule), router.dnatRules());
      close(first);
      assertEquals(List.of(), router.dnatRules());
      for (RunningProcess holder : List.of(first, second)) {
        List<String> seen = holder.seen();
        assertTrue(seen.stream().filter(line -> line.startsWith("renewed ")).count()
            >= ROUNDS - 1, seen.toString());
        assertTrue(seen.stream().noneMatch(line -> line.startsWith("restored")
            || line.startsWith("taken") || line.startsWith("changed")
            || line.startsWith("failed")), seen.toString());
      }
    }
  }

  @Test
  void aHandMadeForwardIsNotTakenOverNorDeleted(Lab lab) throws Exception {
    Host host = lab.homeA().host();
    Router router = lab.homeA().router();
    ExecResult made = host.run(TIMEOUT, "upnpc", "-e", "hand-made", "-a", host.address(),
        "40310", "40310", "TCP");
    assertTrue(made.ok(), made.toString());
    DnatRule handMade = new DnatRule("TCP", 40310, host.address(), 40310);
    assertEquals(List.of(handMade), rulesTo(router, 40310));

    try (RunningProcess holder = hold(host, 40310, 40310)) {
      int port = port(mapped(holder));
      assertNotEquals(40310, port);
      assertEquals(Set.of(handMade, new DnatRule("TCP", port, host.address(), 40310)),
          Set.copyOf(rulesTo(router, 40310)));
      TimeUnit.SECONDS.sleep(3); // three checks
      close(holder);
    }
    assertEquals(List.of(handMade), rulesTo(router, 40310));
    assertTrue(UpnpToolIT.upnpcList(lab).contains("hand-made"));
  }

  @Test
  void aRestartAfterKillNineReusesItsMappingAndTheExternalPortOfLastTime(Lab lab)
      throws Exception {
    Host host = lab.homeA().host();
    Router router = lab.homeA().router();
    Path memory = Files.createTempDirectory("honest-mapping-it-").resolve("ports");
    // someone else holds 40320 at first, so the first run gets another port
    assertTrue(host.run(TIMEOUT, "upnpc", "-e", "other", "-a", host.address(), "40399", "40320",
        "TCP").ok());
    int lastPort;
    try (RunningProcess killed = hold(host, 40320, 0, memory)) {
      lastPort = port(mapped(killed));
      assertNotEquals(40320, lastPort);
    } // closing a RunningProcess kills it with SIGKILL: the mapping stays
    DnatRule left = new DnatRule("TCP", lastPort, host.address(), 40320);
    assertEquals(List.of(left), rulesTo(router, 40320));
    assertTrue(host.run(TIMEOUT, "upnpc", "-d", "40320", "TCP").ok()); // 40320 is free now

    try (RunningProcess restarted = hold(host, 40320, 0, memory)) {
      assertEquals("mapped " + router.wanAddress() + ":" + lastPort, mapped(restarted));
      assertEquals(List.of(left), rulesTo(router, 40320)); // reused, not one more
      close(restarted);
    }
    assertEquals(List.of(), rulesTo(router, 40320));
    assertEquals("TCP 40320 " + lastPort + "\n", Files.readString(memory));
  }

  /** The router's DNAT rules to {@code internalPort}: the other test's are none of ours. */
  private static List<DnatRule> rulesTo(Router router, int internalPort) throws Exception {
    return router.dnatRules().stream().filter(r -> r.internalPort() == internalPort).toList();
  }

  private static RunningProcess hold(Host host, int port, int external) throws Exception {
    return RunningProcess.start(host.java(HoldMapping.class.getName(), "" + port, "" + external,
        "" + LEASE_SECONDS));
  }

  private static RunningProcess hold(Host host, int port, int external, Path memory)
      throws Exception {
    return RunningProcess.start(host.java(HoldMapping.class.getName(), "" + port, "" + external,
        "3600", memory.toString()));
  }

  private static String mapped(RunningProcess holder) throws InterruptedException {
    return holder.awaitLine(line -> line.startsWith("mapped "), TIMEOUT);
  }

  private static int port(String mappedLine) {
    return Integer.parseInt(mappedLine.substring(mappedLine.lastIndexOf(':') + 1));
  }

  private static void close(RunningProcess holder) throws Exception {
    holder.writeLine("close");
    holder.awaitLine(line -> line.equals("closed"), TIMEOUT);
    assertTrue(holder.process().waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }
}
