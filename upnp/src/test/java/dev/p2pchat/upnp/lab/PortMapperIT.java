package dev.p2pchat.upnp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Home;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.DnatRule;
import dev.p2pchat.lab.RunningProcess;
import dev.p2pchat.upnp.cli.UpnpTool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code PortMapper} in home A against router A's real miniupnpd, with its UPnP and NAT-PMP/PCP
 * switched on and off: each protocol alone maps a port that home B reaches, a reboot is
 * restored, a router with neither is waited for, and nothing is left after closing.
 */
@ExtendWith(LabExtension.class)
class PortMapperIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterEach
  void bothOnAgain(Lab lab) throws Exception {
    lab.homeA().router().services(true, true);
  }

  @Test
  void aNatPmpPcpOnlyRouterMapsWithPcpRestoresAfterARebootAndKeepsNothing(Lab lab) throws Exception {
    Home a = lab.homeA();
    a.router().services(false, true);
    ExecResult natpmpc = a.host().run(WAIT, "natpmpc", "-g", a.router().lanAddress());
    assertTrue(natpmpc.stdout().contains("Public IP address : " + a.router().wanAddress()),
        "the reference client sees NAT-PMP: " + natpmpc);
    int port = 40300;
    try (RunningProcess holder = hold(lab, port)) {
      assertEquals("mapped PCP " + a.router().wanAddress() + ":" + port,
          holder.awaitLine(l -> l.startsWith("mapped ") || l.startsWith("none "), WAIT));
      assertEquals(List.of(new DnatRule("TCP", port, a.host().address(), port)),
          a.router().dnatRules());
      assertReachable(lab, port);

      // a reboot shows as an epoch that fell back by more than RFC 6887's one second of
      // tolerance: let the router be up a few seconds first (real ones are up for days)
      Thread.sleep(3_000);
      a.router().restart();
      assertEquals("restored PCP " + a.router().wanAddress() + ":" + port,
          holder.awaitLine(l -> l.startsWith("restored "), WAIT));
      assertEquals(List.of(new DnatRule("TCP", port, a.host().address(), port)),
          a.router().dnatRules());
      assertReachable(lab, port);
      close(holder);
    }
    assertEquals(List.of(), a.router().dnatRules());
  }

  @Test
  void aUpnpOnlyRouterMapsWithUpnpAndKeepsNothing(Lab lab) throws Exception {
    Home a = lab.homeA();
    a.router().services(true, false);
    int port = 40301;
    try (RunningProcess holder = hold(lab, port)) {
      assertEquals("mapped UPnP " + a.router().wanAddress() + ":" + port,
          holder.awaitLine(l -> l.startsWith("mapped ") || l.startsWith("none "), WAIT));
      assertEquals(List.of(new DnatRule("TCP", port, a.host().address(), port)),
          a.router().dnatRules());
      assertReachable(lab, port);
      assertTrue(UpnpToolIT.upnpcList(lab).contains("'p2p-chat'"), UpnpToolIT.upnpcList(lab));
      close(holder);
    }
    assertEquals(List.of(), a.router().dnatRules());
  }

  @Test
  void withBothOffItSaysSoAndMapsOnceTheRouterOffersNatPmpAgain(Lab lab) throws Exception {
    Home a = lab.homeA();
    a.router().services(false, false);
    int port = 40302;
    try (RunningProcess holder = hold(lab, port)) {
      String none = holder.awaitLine(l -> l.startsWith("mapped ") || l.startsWith("none "), WAIT);
      assertTrue(none.startsWith("none "), none);
      a.router().services(false, true);
      assertEquals("mapped PCP " + a.router().wanAddress() + ":" + port,
          holder.awaitLine(l -> l.startsWith("mapped "), WAIT));
      assertReachable(lab, port);
      close(holder);
    }
    assertEquals(List.of(), a.router().dnatRules());
  }

  @Test
  void theToolSaysWhichOfTheThreeAnsweredAndAddsWithPcp(Lab lab) throws Exception {
    Home a = lab.homeA();
    ExecResult status = a.host().runJava(WAIT, UpnpTool.class.getName(), "status", "--via", "auto",
        "--no-cache");
    assertEquals(0, status.exitCode(), status.toString());
    List<String> lines = status.stdout().lines().toList();
    assertTrue(lines.get(0).matches("PCP: +answered in [0-9.]+ ms \\(epoch \\d+ s\\)"), status.stdout());
    assertTrue(lines.get(1).matches("NAT-PMP: +answered in [0-9.]+ ms \\(external address "
        + a.router().wanAddress().replace(".", "\\.") + "\\)"), status.stdout());
    assertTrue(lines.get(2).matches("UPnP: +answered in [0-9.]+ ms \\(p2p-chat lab router A at "
        + a.router().lanAddress().replace(".", "\\.") + "\\)"), status.stdout());
    ExecResult add = a.host().runJava(WAIT, UpnpTool.class.getName(), "add", "40303", "--via",
        "auto", "--no-cache");
    assertEquals("✓ mapped TCP " + a.router().wanAddress() + ":40303 → " + a.host().address()
        + ":40303 with PCP (lease 3600 s)", add.stdout().strip(), add.toString());
    assertEquals(List.of(new DnatRule("TCP", 40303, a.host().address(), 40303)),
        a.router().dnatRules());
    a.router().restart(); // a PCP mapping is deleted with its nonce, which the tool did not keep
  }

  private static RunningProcess hold(Lab lab, int port) throws Exception {
    return RunningProcess.start(lab.homeA().host().java(HoldMappedPort.class.getName(), "" + port));
  }

  private static void assertReachable(Lab lab, int port) throws Exception {
    ExecResult reply = lab.homeB().host().runJava(WAIT, TcpProbe.class.getName(), "connect",
        lab.homeA().router().wanAddress(), "" + port);
    assertEquals("hello from " + lab.homeB().router().wanAddress(), reply.stdout().strip(),
        reply.toString());
  }

  private static void close(RunningProcess holder) throws Exception {
    holder.writeLine("close");
    holder.awaitLine(l -> l.equals("closed"), WAIT);
    assertTrue(holder.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS), holder.seen().toString());
  }
}
