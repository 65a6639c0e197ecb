package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.ShareAddress;
import dev.p2pchat.upnp.FakeGateway;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.MappingOptions;
import dev.p2pchat.upnp.MappingProtocol;
import dev.p2pchat.upnp.PortMapper;
import dev.p2pchat.upnp.natpmp.FakePortControlServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's port mapping against fake routers on 127.0.0.1 (nothing leaves loopback). */
class MappedPortForwardingTest {
  private static final Duration TIMEOUT = Duration.ofMillis(700);
  private static final Duration FIRST_WAIT = Duration.ofSeconds(3);

  private final FakePortControlServer pcp = new FakePortControlServer();
  private final FakeGateway igd = new FakeGateway();
  private TestNode node;
  private TestNode peer;

  MappedPortForwardingTest() throws IOException {}

  @AfterEach
  void stop() throws IOException {
    if (peer != null) peer.close();
    if (node != null) node.close();
    pcp.close();
    igd.close();
  }

  private TestNode startWith(MappedPortForwarding forwarding) throws Exception {
    node = TestNode.start(TestNode.config("alice"), forwarding);
    return node;
  }

  /** PCP and NAT-PMP at the fake's port, UPnP found by unicast search of the fake IGD. */
  private PortMapper mapper(InetSocketAddress portControl) {
    return PortMapper.using(portControl, new GatewayFinder().searchAddress(igd.ssdpAddress()))
        .timeout(TIMEOUT).retry(Duration.ofMillis(100), Duration.ofMillis(200))
        .options(MappingOptions.defaults().withCheckInterval(Duration.ofMillis(200)));
  }

  private MappedPortForwarding forwarding(PortMapper mapper, Duration firstWait) {
    return new MappedPortForwarding(mapper, null, firstWait);
  }

  private static InetSocketAddress closedUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return (InetSocketAddress) s.getLocalSocketAddress();
    }
  }

  @Test
  void noRouterAnsweringMeansTheLanAddressAndAClearMessage() throws Exception {
    igd.ssdpSilent(true);
    TestNode n = startWith(forwarding(mapper(closedUdpPort()), FIRST_WAIT));
    int port = n.node().port();
    assertEquals(List.of(
        "Listening on TCP port " + port + " as alice",
        "Your fingerprint: " + n.node().fingerprint()
            + " (peers see it; compare it with them by phone or in person)",
        "Looking for your router (PCP, NAT-PMP, UPnP)…",
        "✗ no router answered PCP, NAT-PMP or UPnP — is one of them switched on in your router?"
            + " — still trying in the background; the address to share will be shown when the"
            + " router answers",
        "LAN address: 127.0.0.1:" + port + "#" + n.node().fingerprint(),
        "Peers outside your network cannot connect to you: ask them for their address and /connect"
            + " to it (dialling out works)."), n.view().lines());
    assertTrue(n.view().all(ShareAddress.class).isEmpty());
    List<String> status = n.node().status();
    assertTrue(status.contains("LAN address (peers outside it cannot dial it): 127.0.0.1:" + port
        + "#" + n.node().fingerprint()),
        status.toString());
    assertTrue(status.stream().anyMatch(l -> l.startsWith("port mapping: none (no router answered"
        + " PCP, NAT-PMP or UPnP — is one of them switched on in your router?); asking ")),
        status.toString());
    assertTrue(status.stream().anyMatch(l -> l.startsWith("  PCP: no answer after ")
        && l.endsWith("(PCP is not on at " + closedUdpPortText(status) + " (the router says nothing"
            + " listens there))")), status.toString());
  }

  private static String closedUdpPortText(List<String> status) {
    String line = status.stream().filter(l -> l.startsWith("  PCP: ")).findFirst().orElse("");
    int at = line.indexOf("not on at ");
    return at < 0 ? "?" : line.substring(at + 10, line.indexOf(' ', at + 10));
  }

  @Test
  void aGatewayUrlThatDoesNotAnswerIsReported() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/rootDesc.xml");
    TestNode n = startWith(new MappedPortForwarding(
        mapper(null).via(MappingProtocol.UPNP).upnpAt(url), url, FIRST_WAIT));
    n.view().awaitLine("Asking the router at " + url + "…");
    String error = n.view().await(ChatEvent.Notice.class, e -> e.level() == ChatEvent.Level.ERROR).text();
    assertTrue(error.startsWith("✗ ") && error.contains("127.0.0.1:" + closedPort), error);
    n.view().awaitLine("LAN address: 127.0.0.1:" + n.node().port());
  }

  @Test
  void aPcpRouterGivesTheAddressToShareAndCloseDeletesTheMapping() throws Exception {
    TestNode n = startWith(forwarding(mapper(pcp.address()), FIRST_WAIT));
    int port = n.node().port();
    assertEquals(List.of(
        "Listening on TCP port " + port + " as alice",
        "Your fingerprint: " + n.node().fingerprint()
            + " (peers see it; compare it with them by phone or in person)",
        "Looking for your router (PCP, NAT-PMP, UPnP)…",
        "✓ mapped TCP " + port + " → 127.0.0.1:" + port + " with PCP (router 127.0.0.1)",
        "Share this address: 5.6.7.1:" + port + "#" + n.node().fingerprint()), n.view().lines());
    assertEquals(List.of(new FakePortControlServer.Held("TCP", port, port, 7200)), pcp.held());

    List<String> status = n.node().status();
    assertTrue(status.contains("address to share: 5.6.7.1:" + port + "#" + n.node().fingerprint()),
        status.toString());
    assertTrue(status.stream().anyMatch(l -> l.startsWith("port mapping: TCP 5.6.7.1:" + port
        + " → 127.0.0.1:" + port + " with PCP, checked ") && l.endsWith(" ago, lease 2 h 0 min")),
        status.toString());
    assertTrue(status.contains("router: 127.0.0.1"), status.toString());
    assertTrue(status.contains("external address: 5.6.7.1"), status.toString());
    assertTrue(status.stream().anyMatch(l -> l.startsWith("NAT: public — ")), status.toString());

    n.close();
    assertEquals(List.of(), pcp.held());
  }

  @Test
  void aUpnpOnlyRouterMapsWithUpnpDescribedWithoutTheNick() throws Exception {
    igd.service.externalIp("5.6.7.1");
    TestNode n = startWith(forwarding(mapper(closedUdpPort()), FIRST_WAIT));
    int port = n.node().port();
    n.view().awaitLine("✓ mapped TCP " + port + " → 127.0.0.1:" + port + " with UPnP (router Fake"
        + " Router at 127.0.0.1)");
    n.view().awaitLine("Share this address: 5.6.7.1:" + port);
    assertEquals("p2p-chat", igd.service.mappings().get(0).description());
    n.close();
    assertTrue(igd.service.mappings().isEmpty());
  }

  @Test
  void aPrivateExternalAddressWarnsOfDoubleNat() throws Exception {
    pcp.externalAddress("100.64.3.4");
    TestNode n = startWith(forwarding(mapper(pcp.address()), FIRST_WAIT));
    n.view().awaitLine("! double NAT: the router's external address 100.64.3.4 is itself private,"
        + " so this address may not be reachable from the internet");
    assertEquals("100.64.3.4:" + n.node().port(), n.view().await(ShareAddress.class, s -> true).address());
  }

  @Test
  void aRouterThatAnswersLateIsUsedThenAndPeersAreTold() throws Exception {
    pcp.silent(true);
    igd.ssdpSilent(true);
    TestNode n = startWith(forwarding(mapper(pcp.address()).timeout(Duration.ofMillis(200)),
        Duration.ofMillis(300)));
    int port = n.node().port();
    n.view().awaitLine("LAN address: 127.0.0.1:" + port);
    peer = TestNode.start("bob");
    peer.connect(n);
    peer.view().awaitLine("alice joined (127.0.0.1:" + port + ")");

    pcp.silent(false);
    n.view().awaitLine("✓ mapped TCP " + port + " → 127.0.0.1:" + port + " with PCP (router 127.0.0.1)");
    n.view().awaitLine("Share this address: 5.6.7.1:" + port);
    peer.view().awaitLine("alice's address is now 5.6.7.1:" + port);
    assertTrue(n.node().status().contains("address to share: 5.6.7.1:" + port + "#" + n.node().fingerprint()),
        n.node().status()::toString);
  }

  @Test
  void aRebootedRouterGetsTheMappingBack() throws Exception {
    TestNode n = startWith(forwarding(mapper(pcp.address()), FIRST_WAIT));
    int port = n.node().port();
    pcp.reboot();
    n.view().awaitLine("✓ the router had forgotten the port mapping (did it restart?); mapped TCP "
        + port + " again with PCP");
    assertEquals(1, pcp.held().size());
  }

  @Test
  void aNewExternalAddressIsSharedAndAnnouncedToPeers() throws Exception {
    TestNode n = startWith(forwarding(mapper(pcp.address()).via(MappingProtocol.NAT_PMP), FIRST_WAIT));
    peer = TestNode.start("bob");
    peer.connect(n);
    int port = n.node().port();
    peer.view().awaitLine("alice joined (5.6.7.1:" + port + ")");
    pcp.externalAddress("5.6.7.9");
    n.view().awaitLine("Share this address: 5.6.7.9:" + port);
    peer.view().awaitLine("alice's address is now 5.6.7.9:" + port);
  }

  @Test
  void aMappingNoLongerConfirmedIsSaidSoInStatus() throws Exception {
    TestNode n = startWith(forwarding(mapper(pcp.address()).via(MappingProtocol.PCP)
        .timeout(Duration.ofMillis(100)), FIRST_WAIT));
    pcp.silent(true);
    n.view().awaitLine("! the port mapping is in trouble: no PCP answer from ");
    assertTrue(n.node().status().stream().anyMatch(l -> l.contains(" with PCP — not confirmed since ")
        && l.endsWith("; asking the router again")), n.node().status().toString());
  }
}
