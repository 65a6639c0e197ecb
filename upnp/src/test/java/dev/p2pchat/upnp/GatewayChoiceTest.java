package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which device is taken for the router when several answer: the router at 127.0.0.1 (the
 * default gateway, when given) and another LAN device at 127.0.0.2 that hears the same searches
 * and answers from its own address.
 */
class GatewayChoiceTest {
  private static final InetAddress ROUTER = IpLiteral.parse("127.0.0.1");
  private static final InetAddress IMPOSTOR = IpLiteral.parse("127.0.0.2");

  private static GatewayFinder finder(FakeGateway router) {
    return new GatewayFinder().searchAddress(router.ssdpAddress()).timeout(Duration.ofSeconds(3));
  }

  /** The router, answering 150 ms late, and the impostor, answering at once. */
  private static FakeGateway[] lan() throws Exception {
    FakeGateway router = new FakeGateway();
    router.ssdpDelayMillis(150);
    FakeGateway impostor = new FakeGateway(FakeGateway.Kind.IGD_V2, IMPOSTOR);
    router.alsoAsk(impostor);
    return new FakeGateway[] {router, impostor};
  }

  private static String rememberedLocation(Path file) throws Exception {
    return Files.readAllLines(file).get(0);
  }

  @Test
  void aDeviceAnsweringFirstWithTheRoutersLocationDoesNotHideTheRouter(@TempDir Path dir)
      throws Exception {
    FakeGateway[] lan = lan();
    try (FakeGateway router = lan[0]; FakeGateway impostor = lan[1]) {
      impostor.location(router.location());
      Path memory = dir.resolve("gateway");
      Gateway gateway = finder(router).remembered(memory).find().orElseThrow();
      assertEquals(router.location(), gateway.location().toString());
      assertTrue(impostor.answersSent() > 0);
      assertTrue(impostor.requests().isEmpty()); // its LOCATION was refused, never fetched
      assertEquals(router.location(), rememberedLocation(memory)); // not poisoned
    }
  }

  @Test
  void theDefaultGatewayWinsOverADeviceWithAMadeUpExternalAddress() throws Exception {
    FakeGateway[] lan = lan();
    try (FakeGateway router = lan[0]; FakeGateway impostor = lan[1]) {
      impostor.service.externalIp("198.51.100.66");
      router.ssdpDelayMillis(600); // so the impostor's checks are surely done first
      // without the default gateway, the first connected device with an address wins
      assertEquals(impostor.location(), finder(router).find().orElseThrow().location().toString());

      Gateway gateway = finder(router).defaultGateway(ROUTER).find().orElseThrow();
      assertEquals(router.location(), gateway.location().toString());
      assertEquals(Optional.of(IpLiteral.parse("203.0.113.7")), gateway.externalIpAddressWhenFound());
      assertEquals(Optional.empty(), gateway.passedOverDefaultGateway());
    }
  }

  @Test
  void aDeviceIsUsedWhenTheDefaultGatewayOffersNothingAndSaysSo() throws Exception {
    FakeGateway[] lan = lan();
    try (FakeGateway router = lan[0]; FakeGateway impostor = lan[1]) {
      router.ssdpSilent(true); // UPnP off on the router
      Gateway gateway = finder(router).defaultGateway(ROUTER).find().orElseThrow();
      assertEquals(impostor.location(), gateway.location().toString());
      assertEquals(Optional.of(ROUTER), gateway.passedOverDefaultGateway());
    }
  }

  @Test
  void aRememberedDeviceElsewhereIsNotTakenWithoutASearch(@TempDir Path dir) throws Exception {
    FakeGateway[] lan = lan();
    try (FakeGateway router = lan[0]; FakeGateway impostor = lan[1]) {
      Path memory = dir.resolve("gateway");
      router.ssdpSilent(true);
      finder(router).defaultGateway(ROUTER).remembered(memory).find().orElseThrow();
      assertEquals(impostor.location(), rememberedLocation(memory));

      router.ssdpSilent(false);
      Gateway gateway = finder(router).defaultGateway(ROUTER).remembered(memory).find()
          .orElseThrow();
      assertEquals(router.location(), gateway.location().toString());
      assertEquals(router.location(), rememberedLocation(memory));
    }
  }
}
