package dev.p2pchat.upnp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.ExecResult;
import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.RunningProcess;
import dev.p2pchat.upnp.cli.UpnpTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real upnp-tool main, run inside home A against router A's miniupnpd. */
@ExtendWith(LabExtension.class)
class UpnpToolIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Runs the tool with an empty cache of its own, so it searches and leaves root's alone. */
  private static ExecResult tool(Host host, String... args) throws Exception {
    Path cache = Files.createTempDirectory("upnp-tool-cache-");
    try {
      return tool(host, cache, args);
    } finally {
      deleteTree(cache);
    }
  }

  /** Runs the tool's main in a JVM inside {@code host}, with {@code cache} as XDG_CACHE_HOME. */
  private static ExecResult tool(Host host, Path cache, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("env", "XDG_CACHE_HOME=" + cache,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), UpnpTool.class.getName()));
    argv.addAll(List.of(args));
    return host.run(TIMEOUT, argv.toArray(String[]::new));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** miniupnpd's own view, with miniupnpc's upnpc (skipping its 2 s search). */
  static String upnpcList(Lab lab) throws Exception {
    return lab.homeA().host().run(TIMEOUT, "upnpc", "-u",
        lab.homeA().router().descriptionUrl().toString(), "-l").stdout();
  }

  @Test
  void statusFindsRouterAByMulticastAndReportsItsPublicAddress(Lab lab) throws Exception {
    ExecResult status = tool(lab.homeA().host(), "status");

    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("Gateway:       p2p-chat lab router A\n"), status.stdout());
    assertTrue(status.stdout().contains("Location:      http://192.168.1.1:5000/rootDesc.xml\n"),
        status.stdout());
    assertTrue(status.stdout().contains("Local address: 192.168.1.10\n"), status.stdout());
    assertTrue(status.stdout().contains("Connection:    Connected, up "), status.stdout());
    assertTrue(status.stdout().contains("External IP:   " + lab.homeA().router().wanAddress()
        + "\nNAT:           public: "), status.stdout());
    assertEquals("", status.stderr());
  }

  @Test
  void secondRunConfirmsTheRememberedRouter(Lab lab) throws Exception {
    Path cache = Files.createTempDirectory("upnp-tool-cache-");
    try {
      ExecResult first = tool(lab.homeA().host(), cache, "status");
      assertEquals(0, first.exitCode(), first.toString());
      assertEquals("http://192.168.1.1:5000/rootDesc.xml\n"
          + "service urn:schemas-upnp-org:service:WANIPConnection:2\n"
          + "control http://192.168.1.1:5000/ctl/IPConn\n"
          + "name p2p-chat lab router A\n",
          Files.readString(cache.resolve("p2p-chat/gateway")));

      ExecResult second = tool(lab.homeA().host(), cache, "-v", "status");
      assertEquals(0, second.exitCode(), second.toString());
      assertTrue(second.stderr().contains("trying the remembered gateway "
          + "http://192.168.1.1:5000/rootDesc.xml"), second.stderr());
      // straight to the remembered control URL: no description, no search
      assertFalse(second.stderr().contains("GET http://"), second.stderr());
      assertFalse(second.stderr().contains("M-SEARCH"), second.stderr());
      assertEquals(first.stdout(), second.stdout().replaceAll("up \\d+ s", "up " + uptime(first)
          + " s"));
    } finally {
      deleteTree(cache);
    }
  }

  private static String uptime(ExecResult status) {
    return status.stdout().replaceAll("(?s).*Connection: +Connected, up (\\d+) s.*", "$1");
  }

  @Test
  void verboseShowsTheExchange(Lab lab) throws Exception {
    ExecResult status = tool(lab.homeA().host(), "-v", "status");

    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stderr().contains("SSDP answer from 192.168.1.1: "
        + "http://192.168.1.1:5000/rootDesc.xml"), status.stderr());
    assertTrue(status.stderr().contains("M-SEARCH * HTTP/1.1 to 239.255.255.250:1900 from"
        + " 192.168.1.10 (round 1, MX 1): ST urn:schemas-upnp-org:device:InternetGatewayDevice:1"),
        status.stderr());
    assertTrue(status.stderr().contains("GET http://192.168.1.1:5000/rootDesc.xml: HTTP 200, "),
        status.stderr());
    assertTrue(status.stderr().contains("GetExternalIPAddress() -> NewExternalIPAddress=5.6.7.1"
        + " (HTTP 200, "), status.stderr());
    assertTrue(status.stderr().contains("GetExternalIPAddress: 5.6.7.1 ("), status.stderr());
  }

  @Test
  void addedPortIsReachableFromHomeBUntilDeleted(Lab lab) throws Exception {
    Host hostA = lab.homeA().host();
    Host hostB = lab.homeB().host();
    String publicA = lab.homeA().router().wanAddress();
    int port = 40100;
    try (RunningProcess server =
        RunningProcess.start(hostA.java(TcpProbe.class.getName(), "serve", "" + port))) {
      server.awaitLineContaining("listening", TIMEOUT);
      assertFalse(connect(hostB, publicA, port).ok(), "router A must drop unsolicited connections");

      ExecResult add = tool(hostA, "add", "" + port, "--description", "upnp-tool-it");
      assertEquals(0, add.exitCode(), add.toString());
      // the lease is what the router reports left: a second may have passed
      assertTrue(add.stdout().matches("✓ mapped TCP " + publicA.replace(".", "\\.") + ":" + port
          + " → 192\\.168\\.1\\.10:" + port + " \\(lease (3600|3599) s\\)\n"), add.toString());
      assertTrue(upnpcList(lab).matches("(?s).*TCP +" + port + "->192\\.168\\.1\\.10:" + port
          + " +'upnp-tool-it'.*"), upnpcList(lab));
      ExecResult list = tool(hostA, "list");
      assertTrue(list.stdout().matches("(?s).*\nTCP +" + port + " +192\\.168\\.1\\.10:" + port
          + " +\\d+ s +upnp-tool-it\n.*"), list.toString());

      ExecResult reply = connect(hostB, publicA, port);
      assertEquals("hello from " + lab.homeB().router().wanAddress(), reply.stdout().strip(),
          reply.toString());

      ExecResult delete = tool(hostA, "delete", "" + port);
      assertEquals(0, delete.exitCode(), delete.toString());
      assertFalse(upnpcList(lab).contains("upnp-tool-it"), upnpcList(lab));
      assertFalse(connect(hostB, publicA, port).ok(), "a deleted mapping must not let peers in");

      ExecResult again = tool(hostA, "delete", "" + port);
      assertEquals(1, again.exitCode(), again.toString());
      assertEquals("error: router at 192.168.1.1:5000 has no mapping of external TCP port "
          + port + "\n", again.stderr());
    }
  }

  @Test
  void udpMappingWithALeaseShowsUpAndGoes(Lab lab) throws Exception {
    Host hostA = lab.homeA().host();
    ExecResult add = tool(hostA, "add", "40150", "40151", "--udp", "--lease", "60");
    assertTrue(add.stdout().matches(
        "✓ mapped UDP 5\\.6\\.7\\.1:40151 → 192\\.168\\.1\\.10:40150 \\(lease (60|59) s\\)\n"),
        add.toString());
    assertTrue(upnpcList(lab).matches("(?s).*UDP +40151->192\\.168\\.1\\.10:40150 +'upnp-tool'"
        + " +'' +[1-6]?[0-9]\n.*"), upnpcList(lab)); // the lease left, at most 60 s

    ExecResult delete = tool(hostA, "delete", "40151", "--udp");
    assertEquals("✓ deleted UDP 40151 → 192.168.1.10:40150 (upnp-tool)\n", delete.stdout(),
        delete.toString());
    assertFalse(upnpcList(lab).contains("40151"), upnpcList(lab));
  }

  @Test
  void addLeavesAnotherForwardOfThisHostAlone(Lab lab) throws Exception {
    Host hostA = lab.homeA().host();
    // miniupnpd would let this host replace it: the same address, another internal port
    assertTrue(hostA.run(TIMEOUT, "upnpc", "-e", "other", "-a", hostA.address(), "40161",
        "40160", "TCP").ok());
    ExecResult add = tool(hostA, "add", "40162", "40160", "--gateway",
        lab.homeA().router().descriptionUrl().toString());

    assertEquals(1, add.exitCode(), add.toString());
    assertEquals("error: external TCP port 40160 is already mapped to 192.168.1.10:40161 (other);"
        + " not taking it over: choose another external port\n", add.stderr());
    assertTrue(upnpcList(lab).matches("(?s).*TCP +40160->192\\.168\\.1\\.10:40161 +'other'.*"),
        upnpcList(lab));
    assertTrue(hostA.run(TIMEOUT, "upnpc", "-d", "40160", "TCP").ok());
  }

  @Test
  void noRouterOnTheNetworkIsExitTwo(Lab lab) throws Exception {
    // the internet host: its segment carries only the routers' WAN sides, where no one answers
    ExecResult status = tool(lab.internet(), "status", "--timeout", "1");

    assertEquals(2, status.exitCode(), status.toString());
    assertEquals("error: no router answered the UPnP search within 1 s"
        + " — is UPnP switched on in your router?\n", status.stderr());
    assertEquals("", status.stdout());
  }

  @Test
  void routerRefusalIsOneLineWithTheUpnpError(Lab lab) throws Exception {
    // the lab's miniupnpd only allows ports 1024-65535
    ExecResult add = tool(lab.homeA().host(), "add", "80", "--gateway",
        lab.homeA().router().descriptionUrl().toString());

    assertEquals(1, add.exitCode(), add.toString());
    assertEquals("error: router refused AddPortMapping: 606 Action not authorized (the router"
        + " does not allow it: is UPnP port forwarding enabled in its settings?)\n", add.stderr());
    assertEquals("", add.stdout());
  }

  private static ExecResult connect(Host from, String address, int port) throws Exception {
    return from.runJava(TIMEOUT, TcpProbe.class.getName(), "connect", address, "" + port);
  }
}
