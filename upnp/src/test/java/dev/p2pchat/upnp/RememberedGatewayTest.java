package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedGatewayTest {
  private static final FileTime LONG_AGO = FileTime.fromMillis(0);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("p2p-chat").resolve("gateway");
  }

  private void remember(String text) throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), text);
  }

  private GatewayFinder finderFor(FakeGateway fake) {
    return new GatewayFinder().searchAddress(fake.ssdpAddress()).timeout(Duration.ofSeconds(5))
        .remembered(file());
  }

  private String remembered() throws Exception {
    return Files.readString(file());
  }

  /** What a find of {@code fake} remembers. */
  private static String entryOf(FakeGateway fake) {
    return fake.location() + "\n"
        + "service urn:schemas-upnp-org:service:WANIPConnection:2\n"
        + "control " + fake.httpUrl(FakeGateway.CONTROL_PATH) + "\n"
        + "name Fake Router\n";
  }

  private static long descriptionFetches(FakeGateway fake) {
    return fake.requests().stream().filter(r -> r.method().equals("GET")).count();
  }

  @Test
  void foundGatewayIsRememberedThenConfirmedWithOneActionAndNoSearch() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway first = finderFor(fake).find().orElseThrow();
      assertEquals(entryOf(fake), remembered());
      Files.setLastModifiedTime(file(), LONG_AGO);

      fake.ssdpDelayMillis(3_000);
      int answersBefore = fake.answersSent();
      int actionsBefore = fake.actions().size();
      Gateway second = finderFor(fake).find().orElseThrow();

      assertEquals(answersBefore, fake.answersSent(), "returned before any SSDP answer was sent");
      assertEquals(List.of("GetExternalIPAddress"),
          fake.actions().subList(actionsBefore, fake.actions().size()),
          "no description fetched, one action: " + fake.requests());
      assertEquals(1, descriptionFetches(fake));
      assertEquals(first.location(), second.location());
      assertEquals(first.controlUrl(), second.controlUrl());
      assertEquals(first.serviceType(), second.serviceType());
      assertEquals("Fake Router", second.friendlyName());
      assertEquals(InetAddress.getLoopbackAddress(), second.localAddress());
      assertEquals(Optional.of(InetAddress.getByName("203.0.113.7")),
          second.externalIpAddressWhenFound());
      assertEquals(Optional.empty(), second.statusInfoWhenFound(), "not asked");
      assertEquals(LONG_AGO, Files.getLastModifiedTime(file()), "nothing new to remember");

      // and the gateway works
      second.addPortMapping(PortMappingEntry.of(Protocol.TCP, 40000, "127.0.0.1", 40000, "t", 60));
      assertEquals(1, fake.service.mappings().size());
    }
  }

  @Test
  void oneLineFileOfAnOlderVersionIsConfirmedByItsDescriptionAndCompleted() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpDelayMillis(3_000);
      remember(fake.location() + "\n");
      Gateway gateway = finderFor(fake).find().orElseThrow();

      assertEquals(0, fake.answersSent());
      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals(1, descriptionFetches(fake));
      assertTrue(gateway.statusInfoWhenFound().orElseThrow().connected());
      assertEquals(entryOf(fake), remembered());

      finderFor(fake).find().orElseThrow();
      assertEquals(1, descriptionFetches(fake), "the completed file spares the description");
    }
  }

  @Test
  void staleControlUrlFallsBackToTheDescriptionAndIsReplaced() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpDelayMillis(3_000); // so it is the description, not the search, that finds it
      fake.notFound("/ctl/Old");
      remember(entryOf(fake).replace(FakeGateway.CONTROL_PATH, "/ctl/Old"));
      Gateway gateway = finderFor(fake).find().orElseThrow();

      assertEquals(0, fake.answersSent());
      assertEquals(URI.create(fake.httpUrl(FakeGateway.CONTROL_PATH)), gateway.controlUrl());
      assertEquals("/ctl/Old", fake.requests().get(0).path());
      assertEquals(FakeGateway.DESCRIPTION_PATH, fake.requests().get(1).path());
      assertEquals(entryOf(fake), remembered());
    }
  }

  @Test
  void rememberedServiceTheRouterHasNotGotFallsBackToTheDescription() throws Exception {
    try (FakeGateway fake = new FakeGateway()) { // WANIPConnection:2 only
      fake.ssdpDelayMillis(3_000);
      remember(entryOf(fake).replace("WANIPConnection:2", "WANPPPConnection:1"));
      Gateway gateway = finderFor(fake).find().orElseThrow();

      assertEquals(DeviceDescription.WAN_IP_2, gateway.serviceType());
      assertEquals(DeviceDescription.WAN_PPP_1, fake.requests().get(0).soapServiceType());
      assertEquals(FakeGateway.DESCRIPTION_PATH, fake.requests().get(1).path());
      assertEquals(List.of("GetExternalIPAddress", "GetExternalIPAddress", "GetStatusInfo"),
          fake.actions().stream().sorted().toList());
      assertEquals(entryOf(fake), remembered());
    }
  }

  @Test
  void rememberedRouterWithoutExternalAddressIsCheckedByItsDescription() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpDelayMillis(3_000);
      fake.service.externalIp("0.0.0.0");
      remember(entryOf(fake));
      Optional<Gateway> gateway = new GatewayFinder().searchAddress(fake.ssdpAddress())
          .timeout(Duration.ofMillis(500)).remembered(file()).find();

      // usable but not the best: the search ran beside it, and it was taken after all
      assertEquals(URI.create(fake.location()), gateway.orElseThrow().location());
      assertEquals(1, descriptionFetches(fake));
      assertTrue(fake.searchesReceived() > 0);
    }
  }

  @Test
  void searchStartsBesideARememberedGatewayThatDoesNotAnswer() throws Exception {
    try (FakeGateway hanging = new FakeGateway(); FakeGateway fake = new FakeGateway()) {
      hanging.descriptionStyle(FakeGateway.Style.NEVER_ANSWER);
      hanging.soapStyle(FakeGateway.Style.NEVER_ANSWER);
      remember(entryOf(hanging));
      Gateway gateway = finderFor(fake).find().orElseThrow(); // its timeout is 5 s

      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals(List.of("GetExternalIPAddress"), hanging.actions(), "the remembered one was asked");
      assertTrue(fake.searchesReceived() > 0);
      assertEquals(entryOf(fake), remembered());
    }
  }

  @Test
  void staleRememberedGatewayFallsBackToTheSearchAndIsReplaced() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }
    try (FakeGateway fake = new FakeGateway()) {
      String port = ":" + URI.create(fake.location()).getPort() + "/";
      for (String stale : List.of(entryOf(fake).replace(port, ":" + closedPort + "/"),
          "http://127.0.0.1:" + closedPort + "/rootDesc.xml\n")) {
        remember(stale);
        Gateway gateway = finderFor(fake).find().orElseThrow();

        assertEquals(URI.create(fake.location()), gateway.location());
        assertEquals(entryOf(fake), remembered());
      }
    }
  }

  @Test
  void rememberedGatewayOffTheSearchedNetworkIsIgnored() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      assertNull(RememberedGateway.load(writeAndGet(entryOf(fake).replace("127.0.0.1",
          "192.0.2.1")), fake.ssdpAddress()));
      Gateway gateway = finderFor(fake).find().orElseThrow();
      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals(entryOf(fake), remembered());
    }
    // by multicast, only a subnet of a non-loopback interface counts; this only lists interfaces
    assertFalse(SsdpSearch.isSearchedNetwork(InetAddress.getByName("240.0.0.1"), // reserved
        GatewayFinder.SSDP_MULTICAST));
    assertFalse(SsdpSearch.isSearchedNetwork(InetAddress.getLoopbackAddress(),
        GatewayFinder.SSDP_MULTICAST));
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast()) continue;
      for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
        if (!(ia.getAddress() instanceof Inet4Address)) continue;
        byte[] neighbour = ia.getAddress().getAddress();
        if (ia.getNetworkPrefixLength() <= 30) neighbour[3] ^= 1; // another host on that subnet
        assertTrue(SsdpSearch.isSearchedNetwork(InetAddress.getByAddress(neighbour),
            GatewayFinder.SSDP_MULTICAST), ia.toString());
      }
    }
  }

  @Test
  void garbageIsIgnoredAndReplaced() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      String good = entryOf(fake);
      String port = fake.location().split(":")[2].split("/")[0];
      List<String> garbage = List.of("", "\u0000\u00ff\u0013 binary",
          "https://127.0.0.1:" + port + "/rootDesc.xml",
          "http://localhost:" + port + "/rootDesc.xml",
          "ftp://127.0.0.1/x",
          "http://127.0.0.1:" + port + "/rootDesc.xml " + "x".repeat(5000),
          good.replace("name Fake Router", "name " + "x".repeat(RememberedGateway.MAX_BYTES)),
          "not a url at all",
          // the control URL on another host than the description, as a hostile file could say
          good.replace("control http://127.0.0.1", "control http://127.0.0.2"),
          good.replace("control http://", "control https://"),
          good.replace("WANIPConnection:2", "WANIPv6FirewallControl:1"),
          good.replace("service ", "kind "),
          good.replace("name Fake Router\n", ""),
          good + "more stuff\n",
          good.replace("Fake Router", "Fake\u0007Router"),
          good.replace("\n", "\r\n"));
      for (String text : garbage) {
        assertNull(RememberedGateway.load(writeAndGet(text), fake.ssdpAddress()), text);
        finderFor(fake).find().orElseThrow();
        assertEquals(good, remembered());
      }
      assertEquals(garbage.size(), descriptionFetches(fake));
    }
  }

  @Test
  void aNameThatIsNotOneLineLeavesOnlyTheLocationRemembered() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V2, "",
          FakeGateway.CONTROL_PATH).replace("Fake Router", "Fake\nRouter"));
      finderFor(fake).find().orElseThrow();
      assertEquals(fake.location() + "\n", remembered());

      fake.ssdpDelayMillis(3_000);
      Gateway again = finderFor(fake).find().orElseThrow();
      assertEquals("Fake\nRouter", again.friendlyName());
      assertEquals(2, descriptionFetches(fake));
    }
  }

  @Test
  void entriesAreWrittenAsTheyAreRead() throws Exception {
    URI location = URI.create("http://127.0.0.1:5000/rootDesc.xml");
    for (RememberedGateway.Entry entry : List.of(new RememberedGateway.Entry(location, null),
        new RememberedGateway.Entry(location, new DeviceDescription("", DeviceDescription.WAN_PPP_1,
            URI.create("http://127.0.0.1:5001/ctl?x=1"))),
        new RememberedGateway.Entry(location, new DeviceDescription("Box — ünïcode",
            DeviceDescription.WAN_IP_1, URI.create("http://127.0.0.1:5000/ctl/IPConn"))))) {
      RememberedGateway.save(file(), entry);
      assertEquals(entry, RememberedGateway.load(file(),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 1900)));
    }
  }

  @Test
  void unreadableFileIsIgnored() throws Exception {
    Files.createDirectories(file()); // a directory where the file should be
    try (FakeGateway fake = new FakeGateway()) {
      assertNull(RememberedGateway.load(file(), fake.ssdpAddress()));
      Gateway gateway = finderFor(fake).find().orElseThrow();
      assertEquals(URI.create(fake.location()), gateway.location());
    }
  }

  @Test
  void savingLeavesOnlyTheFile() throws Exception {
    URI location = URI.create("http://192.168.1.1:5000/rootDesc.xml");
    RememberedGateway.save(file(), new RememberedGateway.Entry(location, null));
    RememberedGateway.save(file(), new RememberedGateway.Entry(location,
        new DeviceDescription("Box", DeviceDescription.WAN_IP_2,
            URI.create("http://192.168.1.1:5000/ctl/IPConn"))));
    assertEquals("http://192.168.1.1:5000/rootDesc.xml\n"
        + "service urn:schemas-upnp-org:service:WANIPConnection:2\n"
        + "control http://192.168.1.1:5000/ctl/IPConn\n"
        + "name Box\n", Files.readString(file()));
    try (Stream<Path> files = Files.list(file().getParent())) {
      assertEquals(List.of(file()), files.toList());
    }
  }

  @Test
  void cacheFileFollowsXdg() {
    assertEquals(Path.of("/x/cache/p2p-chat/gateway"),
        GatewayFinder.userCacheFile("/x/cache", "/home/ann"));
    assertEquals(Path.of("/home/ann/.cache/p2p-chat/gateway"),
        GatewayFinder.userCacheFile(null, "/home/ann"));
    assertEquals(Path.of("/home/ann/.cache/p2p-chat/gateway"),
        GatewayFinder.userCacheFile("relative/cache", "/home/ann"));
    assertEquals(Path.of("/home/ann/.cache/p2p-chat/gateway"),
        GatewayFinder.userCacheFile("", "/home/ann"));
  }

  private Path writeAndGet(String text) throws Exception {
    remember(text);
    return file();
  }
}
