package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.ChatEvent.ShareAddress;
import dev.p2pchat.upnp.FakeGateway;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.MappingOptions;
import dev.p2pchat.upnp.Protocol;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's port forwarding against fake routers on 127.0.0.1 (nothing leaves loopback). */
class UpnpPortForwardingTest {
  private static final Duration TIMEOUT = Duration.ofMillis(700);
  private static final MappingOptions FAST_CHECKS =
      new MappingOptions("p2p-chat test", Duration.ofHours(1), Duration.ofMillis(200));

  private FakeGateway router;
  private TestNode node;
  private TestNode peer;

  @AfterEach
  void stop() throws IOException {
    if (peer != null) peer.close();
    if (node != null) node.close();
    if (router != null) router.close();
  }

  private TestNode startWith(UpnpPortForwarding forwarding) throws Exception {
    node = TestNode.start(TestNode.config("alice"), forwarding);
    return node;
  }

  private static FakeGateway routerWithExternalIp(String ip) throws IOException {
    FakeGateway router = new FakeGateway();
    router.service.externalIp(ip);
    return router;
  }

  /** Where the router forwards TCP {@code port}, as "client:port", or null. */
  private String mappedTo(int port) {
    return router.service.mappings().stream()
        .filter(m -> m.protocol() == Protocol.TCP && m.externalPort() == port)
        .map(m -> m.internalClient() + ":" + m.internalPort())
        .findFirst().orElse(null);
  }

  private UpnpPortForwarding atRouter() {
    return new UpnpPortForwarding(new GatewayFinder(), URI.create(router.location()), TIMEOUT,
        FAST_CHECKS);
  }

  @Test
  void noRouterAnsweringMeansTheLanAddressAndAnExplanation() throws Exception {
    int silentPort;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      silentPort = s.getLocalPort();
    }
    GatewayFinder nobody = new GatewayFinder().timeout(TIMEOUT)
        .searchAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), silentPort));
    TestNode n = startWith(new UpnpPortForwarding(nobody, null, TIMEOUT, FAST_CHECKS));

    List<String> lines = n.view().lines();
    int port = n.node().port();
    // The upnp library words the failure; what matters here is that it is shown as one, and why
    // peers cannot reach us follows.
    assertEquals(6, lines.size(), lines::toString);
    String noRouter = lines.get(3);
    assertTrue(noRouter.startsWith("✗ ") && noRouter.length() > 2, noRouter);
    assertEquals(noRouter.indexOf("UPnP switched on"), noRouter.lastIndexOf("UPnP switched on"),
        "the hint to check the router is given once: " + noRouter);
    assertEquals(List.of(
        "Listening on TCP port " + port + " as alice",
        "Your fingerprint: " + n.node().fingerprint() + " (peers see it; compare it with them by phone or in person)",
        "Searching for your router…",
        noRouter,
        "LAN address: 127.0.0.1:" + port + "#" + n.node().fingerprint(),
        "Peers outside your network cannot connect to you: ask them for their address and /connect"
            + " to it (dialling out works)."), lines);
    assertTrue(n.view().all(ShareAddress.class).isEmpty());
    assertTrue(n.node().status().contains("port mapping: none (" + noRouter.substring(2) + ")"),
        n.node().status().toString());
  }

  @Test
  void aGatewayUrlThatDoesNotAnswerIsReported() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/rootDesc.xml");
    TestNode n = startWith(new UpnpPortForwarding(new GatewayFinder(), url, TIMEOUT, FAST_CHECKS));
    n.view().awaitLine("Asking the router at " + url + "…");
    String error = n.view().await(ChatEvent.Notice.class, e -> e.level() == ChatEvent.Level.ERROR).text();
    assertTrue(error.startsWith("✗ ") && error.contains("127.0.0.1:" + closedPort)
        && error.endsWith(" — is UPnP switched on in the router?"), error);
    n.view().awaitLine("LAN address: 127.0.0.1:" + n.node().port());
  }

  @Test
  void aRouterWithAPublicAddressGivesTheAddressToShare() throws Exception {
    router = routerWithExternalIp("5.6.7.1");
    TestNode n = startWith(atRouter());
    int port = n.node().port();
    assertEquals(List.of(
        "Listening on TCP port " + port + " as alice",
        "Your fingerprint: " + n.node().fingerprint() + " (peers see it; compare it with them by phone or in person)",
        "Asking the router at " + router.location() + "…",
        "✓ found Fake Router at 127.0.0.1",
        "✓ mapped TCP " + port + " → 127.0.0.1:" + port,
        "Share this address: 5.6.7.1:" + port + "#" + n.node().fingerprint()), n.view().lines());
    assertEquals("127.0.0.1:" + port, mappedTo(port));

    List<String> status = n.node().status();
    assertTrue(status.contains("router: Fake Router at " + router.location()), status.toString());
    assertTrue(status.contains("external address: 5.6.7.1"), status.toString());
    assertTrue(status.stream().anyMatch(l -> l.startsWith("port mapping: TCP " + port + " → 127.0.0.1:"
        + port + ", lease left 59 min") || l.contains("lease left 1 h")), status.toString());
    assertTrue(status.stream().anyMatch(l -> l.startsWith("NAT: public — ")), status.toString());

    n.close();
    assertTrue(router.actions().contains("DeletePortMapping"), router.actions().toString());
    assertTrue(router.service.mappings().isEmpty());
  }

  @Test
  void aPrivateExternalAddressWarnsOfDoubleNat() throws Exception {
    router = routerWithExternalIp("100.64.3.4");
    TestNode n = startWith(atRouter());
    n.view().awaitLine("! double NAT: the router's external address 100.64.3.4 is itself private,"
        + " so this address may not be reachable from the internet");
    assertEquals("100.64.3.4:" + n.node().port(), n.view().await(ShareAddress.class, s -> true).address());
    assertTrue(n.node().status().stream().anyMatch(l -> l.startsWith("NAT: private — ")));
  }

  @Test
  void aRouterThatRefusesSaysWhy() throws Exception {
    router = routerWithExternalIp("5.6.7.1");
    router.service.failNext("AddPortMapping", 606, "Action not authorized");
    TestNode n = startWith(atRouter());
    n.view().awaitLine("✗ the router refused to forward the port: error 606 Action not authorized");
    n.view().awaitLine("LAN address: 127.0.0.1:" + n.node().port());
    assertTrue(n.view().all(ShareAddress.class).isEmpty());
  }

  @Test
  void aNewExternalAddressIsSharedAndAnnouncedToPeers() throws Exception {
    router = routerWithExternalIp("5.6.7.1");
    TestNode n = startWith(atRouter());
    peer = TestNode.start("bob");
    peer.connect(n);
    int port = n.node().port();
    assertEquals("alice joined (5.6.7.1:" + port + ")",
        peer.view().await(ChatEvent.PeerJoined.class, j -> true).text());

    router.service.externalIp("5.6.7.9");
    n.view().awaitLine("Share this address: 5.6.7.9:" + port);
    peer.view().awaitLine("alice's address is now 5.6.7.9:" + port);
  }

  @Test
  void aRebootedRouterGetsTheMappingBack() throws Exception {
    router = routerWithExternalIp("5.6.7.1");
    TestNode n = startWith(atRouter());
    int port = n.node().port();
    router.service.clearMappings(); // what a reboot does
    n.view().awaitLine("✓ the router had forgotten the port mapping (did it restart?); mapped TCP "
        + port + " again");
    assertEquals("127.0.0.1:" + port, mappedTo(port));
  }
}
