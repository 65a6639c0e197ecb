package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.upnp.natpmp.FakePortControlServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortMapperTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final MappingOptions QUIET =
      MappingOptions.defaults().withCheckInterval(Duration.ofHours(1));

  private final FakePortControlServer pcp = new FakePortControlServer();
  private final FakeGateway igd = new FakeGateway();

  PortMapperTest() throws Exception {}

  @AfterEach
  void close() throws Exception {
    pcp.close();
    igd.close();
  }

  /** Records listener calls as text, in order. */
  private static final class Events implements MappedPort.Listener {
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    @Override
    public void mapped(Mapping m) {
      queue.add("mapped " + m);
    }

    @Override
    public void restored(Mapping m) {
      queue.add("restored " + m);
    }

    @Override
    public void changed(Mapping before, Mapping now) {
      queue.add("changed " + before.external() + " -> " + now.external());
    }

    @Override
    public void lost(Mapping last, String why) {
      queue.add("lost " + why);
    }

    String next() throws InterruptedException {
      String event = queue.poll(10, TimeUnit.SECONDS);
      if (event == null) throw new AssertionError("no listener call within 10 s");
      return event;
    }
  }

  private PortMapper mapper() {
    return PortMapper.using(pcp.address(), new GatewayFinder().searchAddress(igd.ssdpAddress()))
        .options(QUIET).timeout(Duration.ofSeconds(2));
  }

  @Test
  void whenAllThreeAnswerPcpMapsAndCloseDeletes() throws Exception {
    try (MappedPort port = mapper().start(4000, 4000, new Events())) {
      Mapping m = port.awaitMapping(WAIT).orElseThrow();
      assertEquals(MappingProtocol.PCP, m.protocol());
      assertEquals(new InetSocketAddress("5.6.7.1", 4000), m.external());
      assertEquals(InetAddress.getLoopbackAddress(), m.internalAddress());
      assertEquals(3600, m.leaseSeconds());
      assertEquals(List.of(new FakePortControlServer.Held("TCP", 4000, 4000, 3600)), pcp.held());
      assertEquals(List.of(), igd.service.mappings(), "UPnP was asked, but mapped nothing");
    }
    assertEquals(List.of(), pcp.held());
  }

  @Test
  void aNatPmpOnlyRouterMapsWithNatPmp() throws Exception {
    pcp.pcp(false);
    try (MappedPort port = mapper().start(4000, 0, new Events())) {
      assertEquals(MappingProtocol.NAT_PMP, port.awaitMapping(WAIT).orElseThrow().protocol());
      assertEquals(1, pcp.held().size());
    }
    assertEquals(List.of(), pcp.held());
  }

  @Test
  void aPcpRefusalFallsToTheNextProtocolThatAnswered() throws Exception {
    pcp.pcpResult(2, 0).natPmp(false); // ANNOUNCE refused too, so PCP never answered usably
    try (MappedPort port = mapper().start(4000, 0, new Events())) {
      Mapping m = port.awaitMapping(WAIT).orElseThrow();
      assertEquals(MappingProtocol.UPNP, m.protocol());
      assertEquals(1, igd.service.mappings().size());
      assertEquals("p2p-chat", igd.service.mappings().get(0).description());
      List<ProbeResult> probes = port.status().probes();
      assertTrue(probes.get(0).detail().contains("NOT_AUTHORIZED"), probes.toString());
    }
    assertEquals(List.of(), igd.service.mappings());
  }

  @Test
  void aUpnpOnlyRouterMapsWithUpnp() throws Exception {
    pcp.close(); // nothing listens on the port any more: refused at once
    try (MappedPort port = mapper().start(4000, 0, new Events())) {
      Mapping m = port.awaitMapping(WAIT).orElseThrow();
      assertEquals(MappingProtocol.UPNP, m.protocol());
      assertEquals(4000, m.externalPort());
    }
  }

  @Test
  void nothingAnsweringIsSaidClearlyAndTheMapperKeepsLooking() throws Exception {
    pcp.silent(true);
    igd.ssdpSilent(true);
    Events events = new Events();
    PortMapper mapper = mapper().timeout(Duration.ofMillis(300))
        .retry(Duration.ofMillis(100), Duration.ofMillis(200));
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertEquals(Optional.empty(), port.awaitMapping(WAIT));
      MappedPort.Status status = port.status();
      assertEquals(Optional.of("no router answered PCP, NAT-PMP or UPnP — is one of them switched"
          + " on in your router?"), status.problem());
      assertEquals(3, status.probes().size());
      int before = pcp.requests().size();
      pcp.silent(false);
      assertEquals("mapped TCP 5.6.7.1:4000 → 127.0.0.1:4000 via PCP", events.next());
      assertTrue(pcp.requests().size() > before, "asked again");
      assertEquals(Optional.empty(), port.status().problem());
    }
  }

  @Test
  void aSlowRouterIsWaitedForPastTheFirstWait() throws Exception {
    pcp.close();
    igd.ssdpDelayMillis(700);
    Events events = new Events();
    try (MappedPort port = mapper().start(4000, 0, events)) {
      assertEquals(Optional.empty(), port.awaitMapping(Duration.ofMillis(300)));
      assertTrue(port.status().looking(), port.status().toString());
      assertEquals("mapped TCP 203.0.113.7:4000 → 127.0.0.1:4000 via UPnP", events.next());
    }
  }

  @Test
  void anAnnouncementAsksAgainAtOnce() throws Exception {
    pcp.silent(true);
    igd.ssdpSilent(true);
    Events events = new Events();
    PortMapper mapper = mapper().timeout(Duration.ofMillis(200))
        .retry(Duration.ofMinutes(1), Duration.ofMinutes(1))
        .announcements(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertEquals(Optional.empty(), port.awaitMapping(WAIT));
      pcp.silent(false);
      pcp.announce(port.pcpAnnouncementAddress());
      assertEquals("mapped TCP 5.6.7.1:4000 → 127.0.0.1:4000 via PCP", events.next());
    }
  }

  @Test
  void aRouterRebootIsSeenInItsEpochAndTheMappingRestored() throws Exception {
    Events events = new Events();
    PortMapper mapper = mapper().options(
        MappingOptions.defaults().withCheckInterval(Duration.ofMillis(100)));
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertTrue(events.next().startsWith("mapped"));
      pcp.reboot();
      assertEquals(List.of(), pcp.held());
      assertEquals("restored TCP 5.6.7.1:4000 → 127.0.0.1:4000 via PCP", events.next());
      assertEquals(1, pcp.held().size());
    }
  }

  @Test
  void anSsdpAliveFromTheGatewayAsksAgainAtOnce() throws Exception {
    igd.ssdpSilent(true);
    Events events = new Events();
    PortMapper mapper = mapper().timeout(Duration.ofMillis(200))
        .retry(Duration.ofMinutes(1), Duration.ofMinutes(1))
        .announcements(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    pcp.close(); // NAT-PMP and PCP refused; UPnP silent at first
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertEquals(Optional.empty(), port.awaitMapping(WAIT));
      igd.ssdpSilent(false);
      igd.announce(port.ssdpAnnouncementAddress(), 1);
      assertEquals("mapped TCP 203.0.113.7:4000 → 127.0.0.1:4000 via UPnP", events.next());
    }
  }

  @Test
  void theRoutersAnnouncementOfARestartRenewsAtOnce() throws Exception {
    Events events = new Events();
    PortMapper mapper = mapper() // checks an hour apart: only the announcement can do it
        .announcements(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertTrue(events.next().startsWith("mapped"));
      pcp.reboot();
      pcp.announce(port.pcpAnnouncementAddress());
      assertEquals("restored TCP 5.6.7.1:4000 → 127.0.0.1:4000 via PCP", events.next());
      assertEquals(1, pcp.held().size());
    }
  }

  @Test
  void aRestoredMappingOnAnotherPortIsAChange() throws Exception {
    Events events = new Events();
    PortMapper mapper = mapper().via(MappingProtocol.NAT_PMP).options(
        MappingOptions.defaults().withCheckInterval(Duration.ofMillis(100)));
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertTrue(events.next().startsWith("mapped"));
      pcp.portOffset(1).reboot();
      assertEquals("restored TCP 5.6.7.1:4001 → 127.0.0.1:4000 via NAT-PMP", events.next());
      assertEquals("changed /5.6.7.1:4000 -> /5.6.7.1:4001", events.next());
    }
  }

  @Test
  void theLeaseIsRenewedAtHalfItsLifetime() throws Exception {
    pcp.maxLifetime(2);
    try (MappedPort port = mapper().start(4000, 0, new Events())) {
      assertEquals(2, port.awaitMapping(WAIT).orElseThrow().leaseSeconds());
      int maps = mapRequests();
      Thread.sleep(1500);
      assertTrue(mapRequests() > maps, "renewed after 1 s");
    }
  }

  private int mapRequests() {
    return (int) pcp.requests().stream().filter(r -> r[0] == 2 && r[1] == 1).count();
  }

  @Test
  void aMappingThatStopsBeingConfirmedIsLostThenGivenUpAndFoundAgain() throws Exception {
    Events events = new Events();
    PortMapper mapper = mapper().via(MappingProtocol.PCP).timeout(Duration.ofMillis(100))
        .retry(Duration.ofMillis(100), Duration.ofMillis(100))
        .options(MappingOptions.defaults().withCheckInterval(Duration.ofMillis(100)));
    try (MappedPort port = mapper.start(4000, 0, events)) {
      assertTrue(events.next().startsWith("mapped"));
      pcp.silent(true);
      assertTrue(events.next().startsWith("lost no PCP answer from"));
      assertTrue(port.status().troubleSince().isPresent());
      pcp.silent(false);
      String next = events.next();
      assertTrue(next.startsWith("restored") || next.startsWith("mapped"), next);
      assertTrue(port.current().isPresent());
    }
  }

  @Test
  void probeSaysWhichAnsweredAndHowFast() {
    pcp.pcp(false);
    List<ProbeResult> probes = mapper().probe();
    assertEquals(MappingProtocol.PCP, probes.get(0).protocol());
    assertTrue(!probes.get(0).answered());
    assertTrue(probes.get(1).answered() && probes.get(1).detail().equals("external address 5.6.7.1"),
        probes.toString());
    assertTrue(probes.get(2).answered(), probes.toString());
    assertTrue(probes.get(1).toString().startsWith("NAT-PMP: answered in "), probes.toString());
  }
}
