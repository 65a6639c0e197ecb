package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

@ExtendWith(LabExtension.class)
class LabSelfIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int PORT = 40123;
  private static final String MAPPING = "p2p-lab-selftest";
  /** Every lab the fixtures below were handed, in order. */
  private static final List<Lab> SEEN = new CopyOnWriteArrayList<>();

  @Test
  void upnpcMappingLetsHomeAReachHomeBUntilRouterBRestarts(Lab lab) throws Exception {
    Host hostA = lab.homeA().host();
    Host hostB = lab.homeB().host();
    Router routerB = lab.homeB().router();
    String publicB = routerB.wanAddress();

    try (RunningProcess server =
        RunningProcess.start(hostB.java(EchoServer.class.getName(), "" + PORT))) {
      server.awaitLineContaining("listening", TIMEOUT);
      assertRefused(talk(hostA, publicB), "router B must not let unsolicited connections in");

      ExecResult add = hostB.run(TIMEOUT, "upnpc", "-e", MAPPING, "-a", hostB.address(),
          "" + PORT, "" + PORT, "TCP");
      assertTrue(add.stdout().contains("is redirected to internal " + hostB.address() + ":" + PORT),
          add.toString());
      // Plain `upnpc -l` finds the router by SSDP: multicast from the LAN host works.
      String listed = hostB.run(TIMEOUT, "upnpc", "-l").stdout();
      assertTrue(listed.contains("ExternalIPAddress = " + publicB), listed);
      assertTrue(listed.matches("(?s).*TCP +" + PORT + "->" + hostB.address() + ":" + PORT
          + " +'" + MAPPING + "'.*"), listed);

      assertEquals(List.of(new DnatRule("TCP", PORT, hostB.address(), PORT)),
          routerB.dnatRules());
      assertEquals(List.of(), lab.homeA().router().dnatRules());

      ExecResult reply = talk(hostA, publicB);
      // Seen from home B, home A's connection comes from router A's public address.
      assertEquals("echo hello from " + lab.homeA().router().wanAddress(), reply.stdout().strip(),
          reply.toString());
      server.awaitLineContaining("served " + lab.homeA().router().wanAddress(), TIMEOUT);

      routerB.restart();
      String afterRestart = listMappings(hostB, routerB);
      assertTrue(afterRestart.contains("ExternalIPAddress = " + publicB), afterRestart);
      assertFalse(afterRestart.contains(MAPPING), afterRestart);
      assertEquals(List.of(), routerB.dnatRules());
      assertRefused(talk(hostA, publicB), "a restarted router must have forgotten the mapping");
    }
  }

  @Test
  void aRouterWithUpnpDisabledStillRoutesButNobodyAnswersUntilRestarted(Lab lab)
      throws IOException {
    Host hostA = lab.homeA().host();
    Router routerA = lab.homeA().router();
    routerA.disableUpnp();
    try {
      ExecResult search = hostA.runJava(TIMEOUT, SsdpProbe.class.getName(), "1000");
      assertFalse(search.ok(), search.toString());
      assertTrue(search.stderr().contains("SocketTimeoutException"), search.toString());
      ExecResult natPmp = hostA.runJava(TIMEOUT, NatPmpProbe.class.getName(),
          routerA.lanAddress(), "1000");
      assertFalse(natPmp.ok(), natPmp.toString());
      assertTrue(natPmp.stderr().contains("SocketTimeoutException"), natPmp.toString());
      ExecResult soap = hostA.run(TIMEOUT, "bash", "-c", "exec 3<>/dev/tcp/$0/$1",
          routerA.lanAddress(), "" + routerA.httpPort());
      assertTrue(soap.stderr().contains("Connection refused"), soap.toString());
      // Routing and NAT are untouched: home A still reaches the internet host.
      ExecResult ping = hostA.run(TIMEOUT, "bash", "-c", "exec 3<>/dev/tcp/$0/$1",
          lab.internet().address(), "9");
      assertTrue(ping.stderr().contains("Connection refused"), ping.toString());
    } finally {
      routerA.restart();
    }
    assertTrue(listMappings(hostA, routerA).contains("ExternalIPAddress = "
        + routerA.wanAddress()));
  }

  @Test
  void upnpAndNatPmpAreSwitchedOneByOneAndTheChoiceOutlivesARestart(Lab lab) throws IOException {
    Host hostA = lab.homeA().host();
    Router routerA = lab.homeA().router();
    try {
      routerA.services(false, true);
      assertAnswers(hostA, routerA, false, true);
      ExecResult http = hostA.run(TIMEOUT, "bash", "-c", "exec 3<>/dev/tcp/$0/$1",
          routerA.lanAddress(), "" + routerA.httpPort());
      assertTrue(http.stderr().contains("Connection refused"), http.toString());
      routerA.services(true, false);
      assertAnswers(hostA, routerA, true, false);
      routerA.restart();
      assertAnswers(hostA, routerA, true, false);
    } finally {
      routerA.services(true, true);
    }
    assertAnswers(hostA, routerA, true, true);
  }

  /** Whether router A answers an SSDP search and a NAT-PMP request from home A, as expected. */
  private static void assertAnswers(Host host, Router router, boolean ssdp, boolean natPmp)
      throws IOException {
    ExecResult search = host.runJava(TIMEOUT, SsdpProbe.class.getName(), "1000");
    assertEquals(ssdp, search.ok(), search.toString());
    ExecResult pmp = host.runJava(TIMEOUT, NatPmpProbe.class.getName(), router.lanAddress(), "1000");
    assertEquals(natPmp, pmp.ok(), pmp.toString());
    if (natPmp) assertEquals(router.wanAddress(), pmp.stdout().strip(), pmp.toString());
  }

  @Test
  void natPmpAnswersWithTheRoutersPublicAddress(Lab lab) throws IOException {
    Router routerA = lab.homeA().router();
    ExecResult probe = lab.homeA().host().runJava(TIMEOUT, NatPmpProbe.class.getName(),
        routerA.lanAddress());
    assertEquals(routerA.wanAddress(), probe.stdout().strip(), probe.toString());
  }

  @Test
  void javaSsdpSearchFromALanHostFindsItsRouter(Lab lab) throws IOException {
    Host hostB = lab.homeB().host();
    ExecResult search = hostB.runJava(TIMEOUT, SsdpProbe.class.getName());
    assertEquals(lab.homeB().router().descriptionUrl().toString(), search.stdout().strip(),
        search.toString());
  }

  @Test
  void descriptionIsServedOnTheLan(Lab lab) throws IOException {
    Router router = lab.homeA().router();
    ExecResult fetch = lab.homeA().host().run(TIMEOUT, "bash", "-c",
        "exec 3<>/dev/tcp/$0/$1 && printf 'GET /rootDesc.xml HTTP/1.0\\r\\n\\r\\n' >&3"
            + " && timeout 5 cat <&3", router.lanAddress(), "" + router.httpPort());
    assertTrue(fetch.stdout().matches("(?s)HTTP/1\\.[01] 200 OK\r?\n.*"), fetch.toString());
    assertTrue(fetch.stdout().contains("urn:schemas-upnp-org:device:InternetGatewayDevice:"),
        fetch.stdout());
    assertEquals("http://192.168.1.1:5000/rootDesc.xml", router.descriptionUrl().toString());
  }

  @Test
  void closeLeavesNoNamespaceNoProcessAndNothingInTheHostNamespace() throws Exception {
    String hostLinksBefore = hostLinks();
    Lab lab = Lab.create();
    Process sleeper = lab.homeA().host().command("sleep", "600").start();
    long miniupnpdA = lab.homeA().router().miniupnpdPid();
    long miniupnpdB = lab.homeB().router().miniupnpdPid();
    assertTrue(miniupnpdA > 0 && miniupnpdB > 0);
    assertEquals(hostLinksBefore, hostLinks(), "the lab must not touch the host's own links");
    assertTrue(Namespaces.list().containsAll(lab.namespaces()));

    lab.close();
    lab.close();

    // Other labs may come and go meanwhile (other test runs on this machine): look at ours only.
    assertEquals(List.of(), labNamespaces(lab.id()));
    assertFalse(sleeper.isAlive(), "processes started in the lab die with it");
    assertFalse(ProcessHandle.of(miniupnpdA).map(ProcessHandle::isAlive).orElse(false));
    assertFalse(ProcessHandle.of(miniupnpdB).map(ProcessHandle::isAlive).orElse(false));
    assertTrue(Namespaces.pids(lab.namespaces()).isEmpty());
  }

  @Test
  void createSweepsLabsLeftByDeadJvms() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String stale = Namespaces.PREFIX + gone.pid() + "-0-ha";
    Path staleDir = Files.createTempDirectory(Namespaces.PREFIX + gone.pid() + "-0-");
    CommandRunner.check(List.of(Tools.path("ip"), "netns", "add", stale), TIMEOUT);
    // The line is printed from inside the namespace: only then is the orphan one of its
    // processes (before, the sweep finds nothing to kill and it enters a deleted namespace).
    RunningProcess orphan = RunningProcess.start(new ProcessBuilder(Tools.path("ip"), "netns",
        "exec", stale, "sh", "-c", "echo entered && exec sleep 600"));
    try {
      orphan.awaitLineContaining("entered", TIMEOUT);
      Lab.create().close();
      assertFalse(Namespaces.list().contains(stale));
      assertFalse(Files.exists(staleDir));
      assertTrue(orphan.process().waitFor(5, TimeUnit.SECONDS),
          "a process left in a stale lab is killed");
    } finally {
      orphan.close();
      Namespaces.destroy(List.of(stale));
    }
  }

  @Test
  void ctrlCOnLabShellTearsItsLabDown() throws Exception {
    // A JVM started with SIGINT ignored (a build run with '&' or nohup) hands that on, and then
    // installs no Ctrl-C handler: the signal cannot reach LabShell at all.
    assumeFalse(sigintIgnored(), "SIGINT is ignored in this build (started in the background?)");
    ProcessBuilder shell = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LabShell.class.getName());
    try (RunningProcess running = RunningProcess.start(shell)) {
      String id = running.awaitLineContaining("Lab p2pl-", TIMEOUT).split(" ")[1];
      running.awaitLineContaining("Press Enter", TIMEOUT);
      assertEquals(5, labNamespaces(id).size(), Namespaces.list().toString());

      CommandRunner.check(List.of("bash", "-c", "kill -INT $0", "" + running.process().pid()),
          TIMEOUT);

      assertTrue(running.process().waitFor(10, TimeUnit.SECONDS), "LabShell ends on Ctrl-C");
      assertEquals(List.of(), labNamespaces(id));
    }
  }

  /** Whether SIGINT (signal 2: bit 1 of the SigIgn mask) is ignored in this process. */
  private static boolean sigintIgnored() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
      }
    }
    return false;
  }

  private static List<String> labNamespaces(String id) {
    return Namespaces.list().stream().filter(n -> n.startsWith(id + "-"))
        .collect(Collectors.toList());
  }

  @Test
  void extensionGivesEachClassOneLabEverywhereAndClosesIt(Lab own) {
    for (Class<?> fixture : List.of(SharingFixture.class, PerClassFixture.class)) {
      SEEN.clear();
      EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute()
          .testEvents().assertStatistics(stats -> stats.succeeded(fixture == SharingFixture.class
              ? 3 : 1).failed(0).skipped(0));
      Lab lab = SEEN.get(0);
      assertNotSame(own, lab, fixture + " gets its own lab");
      assertTrue(SEEN.stream().allMatch(seen -> seen == lab), fixture + ": " + SEEN);
      assertTrue(SEEN.size() >= 3, fixture + ": " + SEEN);
      assertTrue(Collections.disjoint(Namespaces.list(), lab.namespaces()),
          fixture + "'s lab is gone after the class");
    }
  }

  @ExtendWith(LabExtension.class)
  static class SharingFixture {
    SharingFixture(Lab lab) {
      SEEN.add(lab);
    }

    @BeforeAll
    static void before(Lab lab) {
      SEEN.add(lab);
    }

    @Test
    void one(Lab lab) {
      SEEN.add(lab);
    }

    @Test
    void two(Lab lab) {
      SEEN.add(lab);
    }

    @Nested
    class Inner {
      @Test
      void three(Lab lab) {
        SEEN.add(lab);
      }
    }
  }

  @ExtendWith(LabExtension.class)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  static class PerClassFixture {
    PerClassFixture(Lab lab) {
      SEEN.add(lab);
    }

    @BeforeAll
    void before(Lab lab) {
      SEEN.add(lab);
    }

    @Test
    void one(Lab lab) {
      SEEN.add(lab);
    }
  }

  private static void assertRefused(ExecResult talk, String why) {
    assertFalse(talk.ok(), why);
    assertTrue(talk.stderr().contains("Connection refused"), talk.toString());
  }

  private static ExecResult talk(Host from, String address) throws IOException {
    return from.runJava(TIMEOUT, EchoClient.class.getName(), address, "" + PORT, "hello");
  }

  private static String listMappings(Host host, Router router) throws IOException {
    return host.run(TIMEOUT, "upnpc", "-u", router.descriptionUrl().toString(), "-l").stdout();
  }

  private static String hostLinks() throws IOException {
    return CommandRunner.check(List.of(Tools.path("ip"), "-o", "link", "show"), TIMEOUT)
        .replaceAll("(?m) +link/.*$", "");
  }
}
