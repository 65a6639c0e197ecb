package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SSDP answers as devices really send them, and answers we must not follow. */
class SsdpTest {
  private static Optional<Gateway> find(FakeGateway fake, Duration timeout) throws Exception {
    return new GatewayFinder().searchAddress(fake.ssdpAddress()).timeout(timeout).find();
  }

  private static SsdpMessage parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return SsdpMessage.parse(bytes, 0, bytes.length);
  }

  @Test
  void sloppyAnswersAreUnderstood() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpResponse("HTTP/1.0 200 OK\nst:{ST}\nUsn :  uuid:{UUID}::{ST}\nlocation:{LOCATION}");
      assertEquals(URI.create(fake.location()), find(fake, Duration.ofSeconds(5)).orElseThrow().location());
    }
  }

  @Test
  void lateAnswerIsStillHeard() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpDelayMillis(400);
      assertTrue(find(fake, Duration.ofSeconds(5)).isPresent());
    }
  }

  @Test
  void locationOnAnotherHostIsNotFetched() throws Exception {
    try (FakeGateway fake = new FakeGateway();
        ServerSocket elsewhere = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.2"))) {
      fake.location("http://127.0.0.2:" + elsewhere.getLocalPort() + FakeGateway.DESCRIPTION_PATH);
      assertTrue(find(fake, Duration.ofMillis(500)).isEmpty());

      elsewhere.setSoTimeout(50);
      assertThrows(SocketTimeoutException.class, elsewhere::accept, "someone connected to 127.0.0.2");
      assertTrue(fake.searchesReceived() > 0);
      assertTrue(fake.requests().isEmpty());
    }
  }

  @Test
  void locationsWeWillNotFollow() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      String port = Integer.toString(URI.create(fake.location()).getPort());
      for (String location : new String[] {
          "http://localhost:" + port + FakeGateway.DESCRIPTION_PATH, // would need DNS; not the sender
          "https://127.0.0.1:" + port + FakeGateway.DESCRIPTION_PATH,
          "file:///etc/passwd",
          "http://127.0.0.1:" + port + "/has space"}) {
        fake.location(location);
        assertTrue(find(fake, Duration.ofMillis(350)).isEmpty(), location);
      }
      assertTrue(fake.requests().isEmpty());
    }
  }

  @Test
  void errorAnswersAreIgnored() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpResponse("HTTP/1.1 404 Not Found\r\nST: {ST}\r\nLOCATION: {LOCATION}\r\n\r\n");
      assertTrue(find(fake, Duration.ofMillis(400)).isEmpty());
      assertTrue(fake.requests().isEmpty());
    }
  }

  @Test
  void unusableDeviceMeansNoGateway() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description("<root><device><friendlyName>Printer</friendlyName></device></root>");
      assertTrue(find(fake, Duration.ofMillis(500)).isEmpty());
      assertEquals(1, fake.requests().size());

      UpnpException e = assertThrows(UpnpException.class, () -> new GatewayFinder()
          .searchAddress(fake.ssdpAddress()).timeout(Duration.ofMillis(500)).findOrThrow());
      assertEquals("no usable router answered the UPnP search within 500 ms:"
          + " router at " + URI.create(fake.location()).getAuthority()
          + " offers no WANIPConnection or WANPPPConnection service (is UPnP IGD enabled?)", e.getMessage());
    }
  }

  @Test
  void connectedGatewayIsPreferredOverAnEarlierDisconnectedOne() throws Exception {
    try (FakeGateway first = new FakeGateway(); FakeGateway second = new FakeGateway(FakeGateway.Kind.IGD_V1)) {
      first.service.status("Disconnected");
      first.alsoAnnounce(second.location(), "second-device");
      Gateway gateway = find(first, Duration.ofSeconds(20)).orElseThrow();
      assertEquals(URI.create(second.location()), gateway.location());
    }
  }

  @Test
  void disconnectedGatewayIsUsedWhenItIsTheOnlyOne() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.status("Disconnected");
      fake.service.externalIp("0.0.0.0");
      long start = System.nanoTime();
      Gateway gateway = find(fake, Duration.ofSeconds(20)).orElseThrow();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(URI.create(fake.location()), gateway.location());
      assertTrue(elapsedMs < 10_000, "waited " + elapsedMs + " ms: answers should settle in ~1.3 s");
    }
  }

  @Test
  void aSilentDeviceDoesNotHoldUpAGoodOne() throws Exception {
    try (FakeGateway silent = new FakeGateway(); FakeGateway good = new FakeGateway()) {
      silent.descriptionStyle(FakeGateway.Style.NEVER_ANSWER);
      silent.alsoAnnounce(good.location(), "good-device");
      long start = System.nanoTime();
      Gateway gateway = find(silent, Duration.ofSeconds(20)).orElseThrow();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(URI.create(good.location()), gateway.location());
      assertTrue(elapsedMs < 10_000, "took " + elapsedMs + " ms");
    }
  }

  @Test
  void aDeviceThatNeverServesItsDescriptionMeansNoGatewayAtTheTimeout() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.descriptionStyle(FakeGateway.Style.NEVER_ANSWER);
      long start = System.nanoTime();
      assertTrue(find(fake, Duration.ofMillis(500)).isEmpty());
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
      assertEquals(1, fake.requests().size());
    }
  }

  @Test
  void parsesNotifyWithBootId() {
    SsdpMessage notify = parse("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
        + "NT: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nNTS: ssdp:alive\r\n"
        + "USN: uuid:ABC::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        + "location: http://192.168.1.1:5000/rootDesc.xml\r\nbootid.upnp.org: 17\r\n\r\n");
    assertTrue(notify.isNotify());
    assertTrue(notify.isAlive());
    assertEquals(17, notify.bootId());
    assertEquals("http://192.168.1.1:5000/rootDesc.xml", notify.location());

    SsdpMessage byebye = parse("NOTIFY * HTTP/1.1\nNTS:ssdp:byebye\nLOCATION: http://h/x");
    assertTrue(byebye.isNotify());
    assertEquals(false, byebye.isAlive());
    assertEquals(-1, byebye.bootId());
  }

  @Test
  void junkDatagramsAreNotMessages() {
    assertNull(parse("hello"));
    assertNull(parse(""));
    assertEquals(false, parse("HTTP/1.1 200\r\n\r\n").isNotify());
    assertTrue(parse("HTTP/1.1 200\r\n\r\n").isSearchResponse());
  }

  @Test
  void searchGoesToTheGivenUnicastAddressOnly() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpSilent(true);
      try (SsdpSearch search = SsdpSearch.start(fake.ssdpAddress())) {
        assertEquals(1, search.channelCount());
        assertNull(search.next(System.nanoTime() + 600_000_000L));
      }
      long giveUp = System.nanoTime() + 2_000_000_000L;
      while (fake.searchesReceived() < 12 && System.nanoTime() < giveUp) Thread.sleep(10);
      assertEquals(12, fake.searchesReceived(), "the 2 device types, then all 5 targets twice");
    }
  }
}
