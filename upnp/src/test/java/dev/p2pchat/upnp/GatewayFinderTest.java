package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayFinderTest {
  private static GatewayFinder finderFor(FakeGateway fake, Duration timeout) {
    return new GatewayFinder().searchAddress(fake.ssdpAddress()).timeout(timeout);
  }

  private static long descriptionFetches(FakeGateway fake) {
    return fake.requests().stream().filter(r -> r.method().equals("GET")).count();
  }

  @Test
  void findsConnectedGatewayWithoutWaitingOutTheTimeout() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      long start = System.nanoTime();
      Optional<Gateway> found = finderFor(fake, Duration.ofSeconds(20)).find();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      Gateway gateway = found.orElseThrow();
      assertEquals(URI.create(fake.location()), gateway.location());
      assertEquals("Fake Router", gateway.friendlyName());
      assertEquals(DeviceDescription.WAN_IP_2, gateway.serviceType());
      assertEquals(URI.create(fake.httpUrl(FakeGateway.CONTROL_PATH)), gateway.controlUrl());
      assertEquals(InetAddress.getLoopbackAddress(), gateway.localAddress());
      assertTrue(gateway.supportsAddAnyPortMapping());
      assertTrue(elapsedMs < 10_000, "took " + elapsedMs + " ms: waited for the timeout");
    }
  }

  @Test
  void duplicateAnswersCollapseIntoOneDevice() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.status("Disconnected"); // so the finder keeps listening until answers settle
      Gateway gateway = finderFor(fake, Duration.ofSeconds(3)).find().orElseThrow();

      assertEquals(URI.create(fake.location()), gateway.location());
      assertTrue(fake.searchesReceived() >= 5, "searches: " + fake.searchesReceived());
      assertEquals(1, descriptionFetches(fake));
    }
  }

  @Test
  void oneLocationIsConfirmedOnceThoughDeviceAndServiceAnswerWithDifferentUsns() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.serviceUuid("fake-wan-connection-device-uuid"); // as miniupnpd answers
      fake.service.status("Disconnected"); // so the finder hears every answer before settling
      finderFor(fake, Duration.ofSeconds(3)).find().orElseThrow();

      assertEquals(1, descriptionFetches(fake));
      assertEquals(List.of("GetExternalIPAddress", "GetStatusInfo"),
          fake.actions().stream().sorted().toList());
    }
  }

  @Test
  void foundGatewayCarriesWhatTheRouterSaid() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = finderFor(fake, Duration.ofSeconds(5)).find().orElseThrow();

      assertEquals(Optional.of(InetAddress.getByName("203.0.113.7")),
          gateway.externalIpAddressWhenFound());
      assertTrue(gateway.statusInfoWhenFound().orElseThrow().connected());
      Gateway given = GatewayFinder.atLocation(URI.create(fake.location()), Duration.ofSeconds(5));
      assertEquals(Optional.empty(), given.externalIpAddressWhenFound());
      assertEquals(Optional.empty(), given.statusInfoWhenFound());
    }
  }

  @Test
  void routerThatRefusesStatusIsStillFoundWithoutIt() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.failNext("GetStatusInfo", 401, "Invalid Action");
      Gateway gateway = finderFor(fake, Duration.ofSeconds(3)).find().orElseThrow();

      assertEquals(Optional.empty(), gateway.statusInfoWhenFound());
      assertEquals(Optional.of(InetAddress.getByName("203.0.113.7")),
          gateway.externalIpAddressWhenFound());
    }
  }

  @Test
  void findsIgdVersion1AndPpp() throws Exception {
    for (FakeGateway.Kind kind : new FakeGateway.Kind[] {FakeGateway.Kind.IGD_V1, FakeGateway.Kind.PPP}) {
      try (FakeGateway fake = new FakeGateway(kind)) {
        Gateway gateway = finderFor(fake, Duration.ofSeconds(5)).find().orElseThrow();
        assertEquals(kind.serviceType, gateway.serviceType());
        assertEquals(false, gateway.supportsAddAnyPortMapping());
      }
    }
  }

  @Test
  void silentNetworkMeansNoGateway() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.ssdpSilent(true);
      long start = System.nanoTime();
      Optional<Gateway> found = finderFor(fake, Duration.ofMillis(400)).find();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertTrue(found.isEmpty());
      assertTrue(fake.searchesReceived() >= 5, "searches: " + fake.searchesReceived());
      UpnpException e = assertThrows(UpnpException.class,
          () -> finderFor(fake, Duration.ofMillis(200)).findOrThrow());
      assertEquals("no router answered the UPnP search within 200 ms"
          + " — is UPnP switched on in your router?", e.getMessage());
      assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
    }
  }

  @Test
  void devicesStillBeingCheckedAtTheDeadlineAreNotCalledSilence() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      // the answer comes at 150 ms of 300; its GetExternalIPAddress then outlasts the deadline
      fake.ssdpDelayMillis(150);
      fake.soapDelay("GetExternalIPAddress", 1000);

      UpnpException e = assertThrows(UpnpException.class,
          () -> finderFor(fake, Duration.ofMillis(300)).findOrThrow());

      assertEquals("1 device answered the UPnP search but could not be checked within 300 ms"
          + " — try a longer timeout", e.getMessage());
    }
  }

  @Test
  void timeoutsAreWrittenForPeople() {
    assertEquals("200 ms", GatewayFinder.forPeople(Duration.ofMillis(200)));
    assertEquals("3 s", GatewayFinder.forPeople(Duration.ofSeconds(3)));
    assertEquals("1.5 s", GatewayFinder.forPeople(Duration.ofMillis(1500)));
  }

  @Test
  void atLocationSkipsDiscovery() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = GatewayFinder.atLocation(URI.create(fake.location()), Duration.ofSeconds(5));
      assertEquals(URI.create(fake.httpUrl(FakeGateway.CONTROL_PATH)), gateway.controlUrl());
      assertEquals(0, fake.searchesReceived());
    }
  }
}
