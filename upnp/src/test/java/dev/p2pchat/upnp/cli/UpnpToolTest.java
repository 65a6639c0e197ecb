package dev.p2pchat.upnp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.upnp.FakeGateway;
import dev.p2pchat.upnp.PortMappingEntry;
import dev.p2pchat.upnp.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpnpToolTest {
  /** One run of the tool: exit status and what it printed. */
  record Result(int status, String out, String err) {
    /** The one line a failure prints on stderr. */
    String errorLine() {
      assertEquals(1, err.lines().count(), "stderr: " + err);
      return err.strip();
    }

    @Override
    public String toString() {
      return "exit " + status + "\nstdout:\n" + out + "stderr:\n" + err;
    }
  }

  static Result run(String... args) {
    return run(false, args);
  }

  private static Result run(boolean progress, String... args) {
    return run(progress, null, args);
  }

  private static Result run(boolean progress, Path cacheFile, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = UpnpTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), progress, cacheFile);
    return new Result(status, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Where the fake answers M-SEARCH, as {@code --search-address} takes it. */
  static String searchAddress(FakeGateway router) {
    InetSocketAddress a = router.ssdpAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static Result run(FakeGateway router, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--gateway";
    all[args.length + 1] = router.location();
    return run(all);
  }

  @Test
  void statusDescribesTheRouterFoundBySearch() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      Result r = run("status", "--search-address", searchAddress(router), "--timeout", "5");

      assertEquals(0, r.status(), r.toString());
      assertEquals("", r.err(), r.toString());
      List<String> lines = r.out().lines().toList();
      assertEquals(List.of(
          "Gateway:       Fake Router",
          "Location:      " + router.location(),
          "Service:       urn:schemas-upnp-org:service:WANIPConnection:2",
          "Control URL:   " + router.location().replace("/rootDesc.xml", "/ctl/IPConn"),
          "Local address: 127.0.0.1",
          "Connection:    Connected, up 4242 s",
          "Type:          IP_Routed",
          "External IP:   203.0.113.7",
          "NAT:           public: the router has a public address: peers on the internet can"
              + " reach the mapped port"), lines);
    }
  }

  @Test
  void progressGoesToStderrOnlyWhenSomeoneWatches() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      Result watched = run(true, "list", "--search-address", searchAddress(router));
      assertEquals("Searching for your router…\n", watched.err(), watched.toString());
      assertEquals("no port mappings\n", watched.out());

      Result direct = run(true, "list", "--gateway", router.location());
      assertEquals("Asking the router at " + router.location() + "…\n", direct.err());
    }
  }

  @Test
  void statusExplainsAPrivateExternalAddress() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.externalIp("100.64.3.4");
      Result r = run(router, "status");

      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().contains("External IP:   100.64.3.4\nNAT:           private: "), r.out());
      assertEquals(0, router.actions().stream().filter(a -> a.startsWith("Add")).count());
    }
  }

  @Test
  void statusShowsWhatItCanWhenTheRouterRefusesSomeActions() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.failNext("GetStatusInfo", 501, "ActionFailed");
      router.service.failNext("GetConnectionTypeInfo", 401, "Invalid Action");
      Result r = run(router, "status");

      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().contains("Connection:    unknown (router refused GetStatusInfo: 501"
          + " ActionFailed)\nType:          unknown (router refused GetConnectionTypeInfo: 401"
          + " Invalid Action)\nExternal IP:   203.0.113.7\n"), r.out());
    }
  }

  @Test
  void addMapsOurAddressAndLeavesTheMappingInPlace() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      Result r = run(router, "add", "8080");

      assertEquals(0, r.status(), r.toString());
      assertEquals("✓ mapped TCP 203.0.113.7:8080 → 127.0.0.1:8080 (lease 3600 s)\n", r.out());
      assertEquals("", r.err());
      assertEquals(List.of(PortMappingEntry.of(Protocol.TCP, 8080, "127.0.0.1", 8080, "upnp-tool",
          3600)), router.service.mappings());
      assertEquals(List.of("GetSpecificPortMappingEntry", "AddPortMapping",
          "GetSpecificPortMappingEntry", "GetExternalIPAddress"), router.actions());
    }
  }

  @Test
  void addTakesExternalPortProtocolLeaseAndDescription() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      Result r = run("--lease=60", "add", "5000", "40000", "--udp", "--description", "my game",
          "--gateway", router.location());

      assertEquals(0, r.status(), r.toString());
      assertEquals("✓ mapped UDP 203.0.113.7:40000 → 127.0.0.1:5000 (lease 60 s)\n", r.out());
      assertEquals(List.of(PortMappingEntry.of(Protocol.UDP, 40000, "127.0.0.1", 5000, "my game",
          60)), router.service.mappings());
    }
  }

  @Test
  void addOfATakenPortSaysWhoRefusedAndWhy() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.failNext("AddPortMapping", 718, "ConflictInMappingEntry");
      Result r = run(router, "add", "8080");

      assertEquals(1, r.status(), r.toString());
      assertEquals("error: router refused AddPortMapping: 718 ConflictInMappingEntry"
          + " (external TCP port 8080 is mapped to another host or port)", r.errorLine());
      assertEquals("", r.out());
    }
  }

  @Test
  void addLeavesAPortMappedToAnotherHostOrPortOrForwardAlone() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.replacesOwnHostsMappings(true); // as miniupnpd: this host could take it
      List<PortMappingEntry> others = List.of(
          PortMappingEntry.of(Protocol.TCP, 8080, "192.168.1.99", 8080, "other", 0),
          PortMappingEntry.of(Protocol.TCP, 8081, "127.0.0.1", 5000, "p2p-chat", 0),
          PortMappingEntry.of(Protocol.TCP, 8082, "127.0.0.1", 8082, "p2p-chat", 0));
      others.forEach(router.service::putMapping);
      assertEquals("error: external TCP port 8080 is already mapped to 192.168.1.99:8080 (other);"
          + " not taking it over: choose another external port",
          run(router, "add", "8080").errorLine());
      for (String port : List.of("8081", "8082")) {
        Result r = run(router, "add", port);
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.errorLine().contains("not taking it over"), r.errorLine());
      }
      assertEquals(others, router.service.mappings());
      assertEquals(0, run(router, "add", "8083").status()); // a free one is fine
      assertEquals(0, run(router, "add", "8083").status()); // and again: it is the tool's own
    }
  }

  @Test
  void addOnAPermanentOnlyRouterSuggestsLeaseZero() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.onlyPermanentLeases(true);
      Result refused = run(router, "add", "8080");
      assertEquals(1, refused.status(), refused.toString());
      assertEquals("error: router refused AddPortMapping: 725 OnlyPermanentLeasesSupported"
          + " (this router only makes permanent mappings: add --lease 0)", refused.errorLine());

      Result permanent = run(router, "add", "8080", "--lease", "0");
      assertEquals(0, permanent.status(), permanent.toString());
      assertTrue(permanent.out().endsWith("(permanent)\n"), permanent.out());
    }
  }

  @Test
  void listShowsEveryMappingAsATable() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      assertEquals("no port mappings\n", run(router, "list").out());
      router.service.putMapping(PortMappingEntry.of(Protocol.TCP, 8080, "192.168.1.10", 80, "web", 3600));
      router.service.putMapping(new PortMappingEntry("", 9000, Protocol.UDP, 9001, "192.168.1.11", false,
          "game\u001b[2Jtitle\nsecond line", 0));

      Result r = run(router, "list");

      assertEquals(0, r.status(), r.toString());
      assertEquals(List.of(
          "PROTO EXTERNAL INTERNAL              LEASE      DESCRIPTION",
          "TCP   8080     192.168.1.10:80       3600 s     web",
          "UDP   9000     192.168.1.11:9001     permanent  game?[2Jtitle?second line (disabled)"),
          r.out().lines().toList());
    }
  }

  @Test
  void listShowsRemoteHostsWhenAMappingHasOne() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.putMapping(PortMappingEntry.of(Protocol.TCP, 8080, "192.168.1.10", 80, "web", 0));
      router.service.putMapping(new PortMappingEntry("198.51.100.4", 2222, Protocol.TCP, 22,
          "192.168.1.10", true, "ssh for one", 600));

      assertEquals(List.of(
          "PROTO EXTERNAL INTERNAL              LEASE      REMOTE HOST     DESCRIPTION",
          "TCP   8080     192.168.1.10:80       permanent  any             web",
          "TCP   2222     192.168.1.10:22       600 s      198.51.100.4    ssh for one"),
          run(router, "list").out().lines().toList());
    }
  }

  @Test
  void deleteRemovesTheMappingAndComplainsWhenThereIsNone() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.service.putMapping(PortMappingEntry.of(Protocol.UDP, 9000, "127.0.0.1", 9000, "x", 0));

      Result deleted = run(router, "delete", "9000", "--udp");
      assertEquals(0, deleted.status(), deleted.toString());
      assertEquals("✓ deleted UDP 9000 → 127.0.0.1:9000 (x)\n", deleted.out());
      assertEquals(List.of(), router.service.mappings());

      Result again = run(router, "delete", "9000", "--udp");
      assertEquals(1, again.status(), again.toString());
      assertEquals("error: router at " + URI.create(router.location()).getAuthority()
          + " has no mapping of external UDP port 9000", again.errorLine());
      assertEquals(List.of("GetSpecificPortMappingEntry", "DeletePortMapping",
          "GetSpecificPortMappingEntry"), router.actions());
    }
  }

  @Test
  void verboseShowsTheWholeExchangeWithTheRouter() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      // a fresh JVM: -v sets up the logging before anything logs, as in the real tool
      Process tool = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), UpnpTool.class.getName(),
          "-v", "--no-cache", "status", "--search-address", searchAddress(router))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      String err = new String(tool.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(tool.waitFor(30, TimeUnit.SECONDS), "the tool did not exit");

      assertEquals(0, tool.exitValue(), err);
      assertTrue(err.contains("M-SEARCH * HTTP/1.1 to " + searchAddress(router) + " from 127.0.0.1"
          + " (round 1, MX 1): ST urn:schemas-upnp-org:device:InternetGatewayDevice:1"), err);
      assertTrue(err.contains("GET " + router.location() + ": HTTP 200, "), err);
      assertTrue(err.contains("GetExternalIPAddress() -> NewExternalIPAddress=203.0.113.7"
          + " (HTTP 200, "), err);
      assertTrue(err.contains("GetConnectionTypeInfo() -> "), err);
    }
  }

  @Test
  void silenceMeansNoGatewayExitTwo() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.ssdpSilent(true);
      Result r = run("list", "--search-address", searchAddress(router), "--timeout", "300ms");

      assertEquals(2, r.status(), r.toString());
      assertEquals("error: no router answered the UPnP search within 300 ms"
          + " — is UPnP switched on in your router?", r.errorLine());
    }
  }

  @Test
  void routerFoundIsRememberedForTheNextRunUnlessNoCache(@TempDir Path dir) throws Exception {
    Path cache = dir.resolve("p2p-chat").resolve("gateway");
    try (FakeGateway router = new FakeGateway()) {
      Result first = run(false, cache, "add", "8080", "--search-address", searchAddress(router));
      assertEquals(0, first.status(), first.toString());
      assertEquals(router.location(), Files.readAllLines(cache).get(0));
      // the search sees nothing now: only the remembered router can be found
      router.ssdpSilent(true);
      Result second = run(false, cache, "delete", "8080", "--search-address",
          searchAddress(router), "--timeout", "2");
      assertEquals(0, second.status(), second.toString());
      Result searched = run(false, cache, "status", "--no-cache", "--search-address",
          searchAddress(router), "--timeout", "300ms");
      assertEquals(2, searched.status(), searched.toString());
    }
  }

  @Test
  void addAsksTheExternalAddressOnlyWhileFindingTheRouter() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      Result r = run("add", "8080", "--search-address", searchAddress(router), "--timeout", "5");
      assertEquals(0, r.status(), r.toString());
      assertEquals(1, Collections.frequency(router.actions(), "GetExternalIPAddress"),
          router.actions().toString());
    }
  }

  @Test
  void unreachableGatewayIsOneLineExitOne() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Result r = run("status", "--gateway", "http://127.0.0.1:" + closedPort + "/rootDesc.xml",
        "--timeout", "2");

    assertEquals(1, r.status(), r.toString());
    assertEquals("error: cannot connect to router at 127.0.0.1:" + closedPort
        + " (Connection refused)", r.errorLine());
  }

  @Test
  void aRouterThatNeverAnswersIsGivenUpOnAtTheTimeout() throws Exception {
    try (FakeGateway router = new FakeGateway()) {
      router.soapStyle(FakeGateway.Style.NEVER_ANSWER);
      long start = System.nanoTime();
      Result r = run(router, "add", "8080", "--timeout", "500ms");
      long ms = (System.nanoTime() - start) / 1_000_000;

      assertEquals(1, r.status(), r.toString());
      assertEquals("error: router at " + URI.create(router.location()).getAuthority()
          + " did not answer within 500 ms", r.errorLine());
      assertTrue(ms < 5_000, "took " + ms + " ms");
    }
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    String[][] cases = {
        {}, {"frobnicate"}, {"add"}, {"add", "0"}, {"add", "http"}, {"add", "1", "2", "3"},
        {"delete", "70000"}, {"list", "5"}, {"status", "--udp"}, {"list", "--lease", "5"},
        {"add", "80", "--lease", "1.5"}, {"add", "80", "--lease"}, {"status", "--timeout", "0"},
        {"status", "--timeout", "soon"}, {"status", "--gateway", "ftp://x/y"},
        {"status", "--search-address", "router.local:1900"}, {"status", "-x"},
        {"status", "--search-address", "[::1:1900"}, {"status", "--search-address", ":1900"},
        {"status", "--search-address", "[]:1900"}, {"status", "--search-address", "[1.2.3.4]:1"},
        {"status", "--gateway", "http://1.2.3.4/", "--search-address", "127.0.0.1:1900"},
    };
    for (String[] args : cases) {
      Result r = run(args);
      assertEquals(64, r.status(), String.join(" ", args) + "\n" + r);
      assertTrue(r.errorLine().startsWith("error: ") && r.errorLine().endsWith(" (see --help)"),
          r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void helpAndVersion() {
    Result help = run("status", "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().startsWith("usage: upnp-tool [options] COMMAND\n"), help.out());
    assertTrue(help.out().contains("Exit status: 0 done, 1 the router refused or failed,"));

    Result version = run("--version");
    assertEquals(0, version.status());
    assertTrue(version.out().startsWith("upnp-tool "), version.out());
  }

  @Test
  void searchAddressesAreIpLiterals() throws Exception {
    assertEquals(new InetSocketAddress("127.0.0.1", 1900),
        Options.parse("status", "--search-address", "127.0.0.1:1900").searchAddress());
    assertEquals(new InetSocketAddress("::1", 1900),
        Options.parse("status", "--search-address", "[::1]:1900").searchAddress());
    assertEquals(new InetSocketAddress("fe80::1", 5),
        Options.parse("status", "--search-address", "FE80::1:5").searchAddress());
    for (String bad : new String[] {"router.local:1900", "1.2.3:1900", "[1.2.3.4]:1900",
        "1.2.3.4:", "1.2.3.4:70000", ":1900"}) {
      assertThrows(Options.UsageException.class,
          () -> Options.parse("status", "--search-address", bad), bad);
    }
  }

  @Test
  void timeoutsAreSecondsOrMilliseconds() throws Exception {
    assertEquals(java.time.Duration.ofMillis(1500), Options.duration("--timeout", "1.5", true));
    assertEquals(java.time.Duration.ofSeconds(2), Options.duration("--timeout", "2s", true));
    assertEquals(java.time.Duration.ofMillis(250), Options.duration("--timeout", "250ms", true));
  }
}
