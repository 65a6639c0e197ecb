package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedGatewayTest {
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
    return Files.readString(file()).trim();
  }

  @Test
  void foundGatewayIsRememberedThenConfirmedWithoutWaitingForTheSearch() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway first = finderFor(fake).find().orElseThrow();
      assertEquals(fake.location(), remembered());

      fake.ssdpDelayMillis(3_000);
      int answersBefore = fake.answersSent();
      Gateway second = finderFor(fake).find().orElseThrow();

      assertEquals(answersBefore, fake.answersSent(), "returned before any SSDP answer was sent");
      assertEquals(first.controlUrl(), second.controlUrl());
      assertEquals(Optional.of(InetAddress.getByName("203.0.113.7")),
          second.externalIpAddressWhenFound());
      // one description and one status + address exchange per find, no more
      assertEquals(2, fake.requests().stream().filter(r -> r.method().equals("GET")).count());
      assertEquals(4, fake.actions().size(), fake.actions().toString());
    }
  }

  @Test
  void searchStartsBesideARememberedGatewayThatDoesNotAnswer() throws Exception {
    try (FakeGateway hanging = new FakeGateway(); FakeGateway fake = new FakeGateway()) {
      hanging.descriptionStyle(FakeGateway.Style.NEVER_ANSWER);
      remember(hanging.location());
      Gateway gateway = finderFor(fake).find().orElseThrow(); // its timeout is 5 s

      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals(1, hanging.requests().size(), "the remembered one was asked");
      assertTrue(fake.searchesReceived() > 0);
      assertEquals(fake.location(), remembered());
    }
  }

  @Test
  void staleRememberedGatewayFallsBackToTheSearchAndIsReplaced() throws Exception {
    int closedPort;
    try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = gone.getLocalPort();
    }
    remember("http://127.0.0.1:" + closedPort + "/rootDesc.xml\n");
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = finderFor(fake).find().orElseThrow();

      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals(fake.location(), remembered());
    }
  }

  @Test
  void rememberedGatewayOffTheSearchedNetworkIsIgnored() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      assertNull(RememberedGateway.load(writeAndGet("http://192.0.2.1:5000/rootDesc.xml"),
          fake.ssdpAddress()));
      Gateway gateway = finderFor(fake).find().orElseThrow();
      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals(fake.location(), remembered());
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
      String port = fake.location().split(":")[2].split("/")[0];
      List<String> garbage = List.of("", "\u0000\u00ff\u0013 binary",
          "https://127.0.0.1:" + port + "/rootDesc.xml",
          "http://localhost:" + port + "/rootDesc.xml",
          "ftp://127.0.0.1/x",
          "http://127.0.0.1:" + port + "/rootDesc.xml " + "x".repeat(5000),
          "not a url at all");
      for (String text : garbage) {
        assertNull(RememberedGateway.load(writeAndGet(text), fake.ssdpAddress()), text);
        finderFor(fake).find().orElseThrow();
        assertEquals(fake.location(), remembered());
      }
      assertEquals(garbage.size(),
          fake.requests().stream().filter(r -> r.method().equals("GET")).count());
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
    RememberedGateway.save(file(), URI.create("http://192.168.1.1:5000/rootDesc.xml"));
    RememberedGateway.save(file(), URI.create("http://192.168.1.1:5001/rootDesc.xml"));
    assertEquals("http://192.168.1.1:5001/rootDesc.xml\n", Files.readString(file()));
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
