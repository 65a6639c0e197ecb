package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PortMappingTest {
  private static final MappingListener QUIET = new MappingListener() {};
  /** Long enough that no check runs during a test that doesn't want one. */
  private static final MappingOptions NO_CHECKS =
      MappingOptions.defaults().withCheckInterval(Duration.ofHours(1));

  private static final MappingOptions FAST_CHECKS =
      MappingOptions.defaults().withCheckInterval(Duration.ofMillis(200));

  private static Gateway gatewayOf(FakeGateway fake) throws IOException {
    return GatewayFinder.atLocation(URI.create(fake.location()), Duration.ofSeconds(2));
  }

  /** Maps TCP internal 5000, preferring external 40000, on the fake. */
  private static PortMapping open(FakeGateway fake, MappingOptions options, MappingListener listener)
      throws IOException {
    return PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 40000, options, listener);
  }

  private static long count(List<String> actions, String action) {
    return Collections.frequency(actions, action);
  }

  @Test
  void mapsOurAddressAndDeletesOnCloseOnce() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      PortMapping m = open(fake, NO_CHECKS, QUIET);

      assertEquals(40000, m.externalPort());
      assertEquals(5000, m.internalPort());
      assertEquals(Protocol.TCP, m.protocol());
      assertEquals(InetAddress.getByName("203.0.113.7"), m.externalAddress());
      assertEquals(AddressKind.PUBLIC, m.addressKind());
      assertFalse(m.permanent());
      Duration left = m.leaseRemaining();
      assertTrue(left.compareTo(Duration.ofMinutes(59)) > 0 && left.compareTo(Duration.ofHours(1)) <= 0,
          left.toString());
      assertEquals(List.of(PortMappingEntry.of(Protocol.TCP, 40000, "127.0.0.1", 5000, "p2p-chat", 3600)),
          fake.service.mappings());

      m.close();
      m.close();
      assertTrue(fake.service.mappings().isEmpty());
      assertEquals(1, count(fake.actions(), "DeletePortMapping"));
    }
  }

  @Test
  void aSecondCloseWaitsForTheDeleteInFlight() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      PortMapping m = open(fake, NO_CHECKS, QUIET);
      fake.soapDelay("DeletePortMapping", 300);
      Thread first = new Thread(m::close, "first-close");
      first.start();
      awaitActions(fake, "DeletePortMapping", 1);

      // as the shutdown hook does while another thread is closing: the JVM halts when it returns
      m.close();

      assertTrue(fake.service.mappings().isEmpty(), "the delete had not completed");
      assertEquals(1, count(fake.actions(), "DeletePortMapping"));
      first.join();
    }
  }

  @Test
  void reusesTheExternalAddressTheFinderConfirmed() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway found = new GatewayFinder().searchAddress(fake.ssdpAddress())
          .timeout(Duration.ofSeconds(5)).find().orElseThrow();
      long asked = count(fake.actions(), "GetExternalIPAddress");
      try (PortMapping m = PortMapping.open(found, Protocol.TCP, 5000, 40000, NO_CHECKS, QUIET)) {
        assertEquals(InetAddress.getByName("203.0.113.7"), m.externalAddress());
        assertEquals(asked, count(fake.actions(), "GetExternalIPAddress"));
      }
    }
  }

  @Test
  void preferredPortZeroMeansSameAsInternal() throws Exception {
    try (FakeGateway fake = new FakeGateway();
        PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.UDP, 5000, 0, NO_CHECKS, QUIET)) {
      assertEquals(5000, m.externalPort());
      assertEquals(Protocol.UDP, fake.service.mappings().get(0).protocol());
    }
  }

  @Test
  void aConflictTheEntryDoesNotShowUsesAddAnyPortMappingOnVersion2() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.failNext("AddPortMapping", 718, "ConflictInMappingEntry"); // e.g. the router's own
      try (PortMapping m = open(fake, NO_CHECKS, QUIET)) {
        assertEquals(40000, m.externalPort()); // the fake's AddAnyPortMapping takes the hint
        assertEquals(1, count(fake.actions(), "AddAnyPortMapping"));
      }
    }
  }

  @Test
  void aPortAnotherHostHoldsIsLeftAloneOnVersion2Too() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      PortMappingEntry theirs = PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "other", 0);
      fake.service.putMapping(theirs);
      try (PortMapping m = open(fake, NO_CHECKS, QUIET)) {
        assertEquals(40001, m.externalPort());
        assertEquals(Optional.of(theirs.withRemoteHost("")), m.preferredPortHolder());
        assertEquals(0, count(fake.actions(), "AddAnyPortMapping")); // miniupnpd's may replace ours
      }
      assertEquals(List.of(theirs), fake.service.mappings()); // the other host's mapping stays
    }
  }

  @Test
  void conflictOnVersion1TriesTheNextPorts() throws Exception {
    try (FakeGateway fake = new FakeGateway(FakeGateway.Kind.IGD_V1)) {
      fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "other", 0));
      fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40001, "10.0.0.98", 22, "other", 0));
      try (PortMapping m = open(fake, NO_CHECKS, QUIET)) {
        assertEquals(40002, m.externalPort());
        assertEquals(3, count(fake.actions(), "GetSpecificPortMappingEntry"));
        assertEquals(1, count(fake.actions(), "AddPortMapping"));
        assertEquals(0, count(fake.actions(), "AddAnyPortMapping"));
      }
    }
  }

  @Test
  void aRouterThatWontUpdateOurOwnMappingGetsItReplaced() throws Exception {
    try (FakeGateway fake = new FakeGateway(FakeGateway.Kind.IGD_V1)) {
      fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40000, "127.0.0.1", 5000, "p2p-chat", 0));
      fake.service.failNext("AddPortMapping", 718, "ConflictInMappingEntry");
      try (PortMapping m = open(fake, NO_CHECKS, QUIET)) {
        assertEquals(40000, m.externalPort());
        List<String> mappingActions = fake.actions().stream()
            .filter(a -> !a.equals("GetExternalIPAddress")).toList(); // asked concurrently
        assertEquals(List.of("GetSpecificPortMappingEntry", "AddPortMapping", "DeletePortMapping",
            "GetSpecificPortMappingEntry", "AddPortMapping"), mappingActions.subList(0, 5));
        assertEquals(3600, fake.service.mappings().get(0).leaseSeconds());
      }
    }
  }

  @Test
  void givesUpClearlyWhenEveryPortIsTaken() throws Exception {
    try (FakeGateway fake = new FakeGateway(FakeGateway.Kind.IGD_V1)) {
      for (int i = 0; i < 20; i++) fake.service.failNext("AddPortMapping", 718, "ConflictInMappingEntry");
      UpnpException e = assertThrows(UpnpException.class,
          () -> open(fake, NO_CHECKS, QUIET));

      assertTrue(e.getMessage().contains("mapped to other hosts") && e.getMessage().contains("giving up"),
          e.getMessage());
      assertEquals(7, count(fake.actions(), "AddPortMapping"));
    }
  }

  @Test
  void permanentOnlyRouterGetsLeaseZeroAndTheMappingIsDeletedOnClose() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.onlyPermanentLeases(true);
      PortMapping m = open(fake, NO_CHECKS, QUIET);

      assertTrue(m.permanent());
      assertEquals(Duration.ZERO, m.leaseRemaining());
      assertEquals(0, fake.service.mappings().get(0).leaseSeconds());
      m.close();
      assertTrue(fake.service.mappings().isEmpty());
    }
  }

  @Test
  void samePortRouterGetsExternalEqualToInternal() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.samePortRequired(true);
      try (PortMapping m = open(fake, NO_CHECKS, QUIET)) {
        assertEquals(5000, m.externalPort());
        assertEquals(5000, fake.service.mappings().get(0).externalPort());
      }
    }
  }

  @Test
  void otherRefusalsAreReportedAsTheyAre() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.failNext("AddPortMapping", 606, "Action not authorized");
      SoapFaultException e = assertThrows(SoapFaultException.class,
          () -> open(fake, NO_CHECKS, QUIET));
      assertEquals(606, e.errorCode());
    }
  }

  @Test
  void renewsTheLeaseAtHalfTime() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      MappingOptions options = FAST_CHECKS.withLease(Duration.ofSeconds(1));
      try (PortMapping m = open(fake, options, events)) {
        assertEquals("renewed", events.next());
        assertTrue(m.leaseRemaining().compareTo(Duration.ofMillis(500)) > 0, m.leaseRemaining().toString());
        assertTrue(count(fake.actions(), "AddPortMapping") >= 2);
        assertEquals(1, fake.service.mappings().get(0).leaseSeconds());
      }
    }
  }

  @Test
  void restoresTheMappingAfterARouterRebootAndReportsTheNewAddress() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      try (PortMapping m = open(fake, FAST_CHECKS, events)) {
        fake.service.externalIp("198.51.100.9");
        fake.service.clearMappings(); // the reboot

        assertEquals("restored", events.next());
        assertEquals("changed 203.0.113.7:40000 -> 198.51.100.9:40000", events.next());
        assertEquals(InetAddress.getByName("198.51.100.9"), m.externalAddress());
        assertEquals(List.of(PortMappingEntry.of(Protocol.TCP, 40000, "127.0.0.1", 5000, "p2p-chat", 3600)),
            fake.service.mappings());
      }
      assertTrue(fake.service.mappings().isEmpty());
    }
  }

  @Test
  void restoreOnATakenPortMovesToAnotherAndSaysSo() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      try (PortMapping m = open(fake, FAST_CHECKS, events)) {
        fake.service.clearMappings();
        fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "other", 0));

        assertEquals("taken by 10.0.0.99:22", events.next()); // not "restored": no reboot
        assertEquals("changed 203.0.113.7:40000 -> 203.0.113.7:40001", events.next());
        assertEquals(40001, m.externalPort());
      }
      assertEquals(40000, fake.service.mappings().get(0).externalPort()); // theirs, untouched
    }
  }

  @Test
  void reportsFailedChecksAndKeepsTrying() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      // the first for the check before adding, which asks for the port all the same
      fake.service.failNext("GetSpecificPortMappingEntry", 501, "ActionFailed");
      fake.service.failNext("GetSpecificPortMappingEntry", 501, "ActionFailed");
      try (PortMapping m = open(fake, FAST_CHECKS, events)) {
        assertTrue(events.next().startsWith("failed router at 127.0.0.1:"));
        fake.service.clearMappings();
        assertEquals("restored", events.next());
        assertEquals(40000, m.externalPort());
      }
    }
  }

  @Test
  void aThrowingListenerDoesNotStopTheChecks() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      BlockingQueue<String> restores = new LinkedBlockingQueue<>();
      MappingListener throwing = new MappingListener() {
        @Override
        public void restored(PortMapping m) {
          restores.add("restored");
          throw new IllegalStateException("listener bug");
        }
      };
      try (PortMapping m = open(fake, FAST_CHECKS, throwing)) {
        fake.service.clearMappings();
        assertEquals("restored", restores.poll(10, TimeUnit.SECONDS));
        fake.service.clearMappings();
        assertEquals("restored", restores.poll(10, TimeUnit.SECONDS));
        assertEquals(40000, m.externalPort());
      }
    }
  }

  @Test
  void aDisabledMappingIsEnabledAgain() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      try (PortMapping m = open(fake, FAST_CHECKS, events)) {
        fake.service.putMapping(new PortMappingEntry("", 40000, Protocol.TCP, 5000, "127.0.0.1", false, "p2p-chat", 3600));
        assertEquals("restored", events.next());
        assertTrue(fake.service.mappings().get(0).enabled());
        assertEquals(40000, m.externalPort());
      }
    }
  }

  @Test
  void followsARouterThatCameBackOnAnotherPort() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      Gateway found = new GatewayFinder().searchAddress(fake.ssdpAddress()).timeout(Duration.ofSeconds(2))
          .find().orElseThrow();
      try (PortMapping m = PortMapping.open(found, Protocol.TCP, 5000, 40000, FAST_CHECKS, events)) {
        fake.service.clearMappings();
        fake.moveHttpPort();

        assertEquals("restored", events.next());
        assertEquals(URI.create(fake.location()), m.gateway().location());
        assertEquals(1, fake.service.mappings().size());
      }
      assertTrue(fake.service.mappings().isEmpty());
    }
  }

  @Test
  void aRouterGivenByLocationThatStopsAnsweringIsReportedAsFailed() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      try (PortMapping m = open(fake, FAST_CHECKS, events)) {
        fake.moveHttpPort();
        assertTrue(events.next().startsWith("failed "));
      }
    }
  }

  @Test
  void aRebootAnnouncementTriggersAnImmediateRestore() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 40000, NO_CHECKS, events,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      InetSocketAddress announcements = m.announcementAddress();
      long addressReads = count(fake.actions(), "GetExternalIPAddress");
      fake.announce(announcements, 1); // first heard: one check, nothing lost
      // The check reads the address once it has the entry's answer: only then may the mapping go
      // (requests are recorded on arrival, so the entry's request alone may still be answered).
      awaitActions(fake, "GetSpecificPortMappingEntry", 1);
      awaitActions(fake, "GetExternalIPAddress", addressReads + 1);
      fake.announce(announcements, 1); // the same again: no check
      fake.service.clearMappings();
      fake.announce(announcements, 2); // rebooted

      assertEquals("restored", events.next());
      // before adding; the first check; the restoring check, and before adding again
      assertEquals(4, count(fake.actions(), "GetSpecificPortMappingEntry"));
      assertEquals(1, fake.service.mappings().size());
      m.close();
      assertTrue(fake.service.mappings().isEmpty());
    }
  }

  @Test
  void loopbackGatewaysAreNotWatchedByMulticast() throws Exception {
    try (FakeGateway fake = new FakeGateway();
        PortMapping m = open(fake, NO_CHECKS, QUIET)) {
      assertEquals(null, m.announcementAddress());
    }
  }

  private static void awaitActions(FakeGateway fake, String action, long n) throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count(fake.actions(), action) < n) {
      if (System.nanoTime() > giveUp) throw new AssertionError("no " + action + " within 10 s");
      Thread.sleep(5);
    }
  }

  @Test
  void aRestoreIsReportedEvenWhenTheAddressCanNotBeRead() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      try (PortMapping m = open(fake, FAST_CHECKS, events)) {
        fake.service.clearMappings();
        fake.service.failNext("GetExternalIPAddress", 501, "ActionFailed");
        assertEquals("restored", events.next());
        assertTrue(events.next().startsWith("failed "));
        assertEquals(InetAddress.getByName("203.0.113.7"), m.externalAddress());
      }
    }
  }
}
