package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mappings never take what is someone else's: another node's port on this host (miniupnpd lets a
 * host replace its own mappings), another host's, a hand-made forward; and a start finds the
 * mappings an earlier run of ours left behind.
 */
class HonestMappingTest {
  private static final MappingOptions CHECKS_EVERY_100_MS =
      MappingOptions.defaults().withCheckInterval(Duration.ofMillis(100));
  private static final MappingOptions NO_CHECKS =
      MappingOptions.defaults().withCheckInterval(Duration.ofHours(1));

  private static Gateway gatewayOf(FakeGateway fake) throws IOException {
    return GatewayFinder.atLocation(URI.create(fake.location()), Duration.ofSeconds(2));
  }

  private static PortMappingEntry ours(int external, int internal) {
    return PortMappingEntry.of(Protocol.TCP, external, "127.0.0.1", internal, "p2p-chat", 3600);
  }

  private static List<Integer> externalPorts(FakeGateway fake) {
    return fake.service.mappings().stream().map(PortMappingEntry::externalPort)
        .sorted(Comparator.naturalOrder()).toList();
  }

  @Test
  void theFakeReplacesAHostsOwnMappingsAsMiniupnpdDoes() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.replacesOwnHostsMappings(true);
      Gateway gateway = gatewayOf(fake);
      gateway.addPortMapping(ours(40000, 5000));
      gateway.addPortMapping(ours(40000, 5001)); // what a node asking blindly would do
      assertEquals(List.of(ours(40000, 5001)), fake.service.mappings());
    }
  }

  @Test
  void twoNodesOnOneHostKeepTheirOwnPortsThroughManyChecks() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.replacesOwnHostsMappings(true);
      MappingEvents first = new MappingEvents();
      MappingEvents second = new MappingEvents();
      PortMapping a = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 40000,
          CHECKS_EVERY_100_MS, first);
      PortMapping b = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5001, 40000,
          CHECKS_EVERY_100_MS, second);
      assertEquals(40000, a.externalPort());
      assertNotEquals(40000, b.externalPort());
      assertEquals(Optional.of(5000), b.preferredPortHolder().map(PortMappingEntry::internalPort));

      Thread.sleep(1500); // about 15 checks each
      assertNull(first.queue.poll(), "first node: " + first.queue);
      assertNull(second.queue.poll(), "second node: " + second.queue);
      assertEquals(40000, a.externalPort());
      assertEquals(List.of(40000, b.externalPort()), externalPorts(fake));

      b.close(); // quitting removes only its own
      assertEquals(List.of(ours(40000, 5000)), fake.service.mappings());
      a.close();
      assertEquals(List.of(), fake.service.mappings());
    }
  }

  @Test
  void aHandMadeForwardToOurOwnPortIsNotTakenOver() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.replacesOwnHostsMappings(true);
      PortMappingEntry handMade =
          PortMappingEntry.of(Protocol.TCP, 40000, "127.0.0.1", 5000, "upnp-tool", 0);
      fake.service.putMapping(handMade);
      try (PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 40000, NO_CHECKS,
          new MappingListener() {})) {
        assertEquals(40001, m.externalPort());
        assertEquals(Optional.of("upnp-tool"),
            m.preferredPortHolder().map(PortMappingEntry::description));
      }
      assertEquals(List.of(handMade), fake.service.mappings());
    }
  }

  @Test
  void aPortTakenWhileWeHeldItIsLeftToTheTakerAndNotDeletedOnClose() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      MappingEvents events = new MappingEvents();
      PortMappingEntry other = PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "x", 0);
      try (PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 40000,
          CHECKS_EVERY_100_MS, events)) {
        fake.service.clearMappings();
        fake.service.putMapping(other);
        assertEquals("taken by 10.0.0.99:22", events.next());
        assertEquals("changed 203.0.113.7:40000 -> 203.0.113.7:40001", events.next());
      }
      assertEquals(List.of(other), fake.service.mappings());
    }
  }

  @Test
  void closeDeletesNothingWhenThePortIsNowSomeoneElses() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      PortMappingEntry other = PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "x", 0);
      PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 40000, NO_CHECKS,
          new MappingListener() {});
      fake.service.clearMappings();
      fake.service.putMapping(other); // the router rebooted, and another host got there first
      m.close();
      assertEquals(List.of(other), fake.service.mappings());
      assertEquals(0, fake.actions().stream().filter(a -> a.equals("DeletePortMapping")).count());
    }
  }

  @Test
  void aStartReusesTheLastPortAndDeletesOtherLeftovers(@TempDir Path dir) throws Exception {
    Path memory = dir.resolve("ports");
    Files.writeString(memory, "UDP 5000 41000\nTCP 5000 40007\n");
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.putMapping(ours(40005, 5000)); // left by a run killed with kill -9
      fake.service.putMapping(ours(40007, 5000)); // and by the one before, last remembered
      fake.service.putMapping(ours(40008, 5001)); // another node's on this host
      PortMappingEntry other = PortMappingEntry.of(Protocol.TCP, 40009, "10.0.0.99", 5000,
          "p2p-chat", 0);
      fake.service.putMapping(other);
      try (PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 0,
          NO_CHECKS.remembered(memory), new MappingListener() {})) {
        assertEquals(40007, m.externalPort());
        assertEquals(List.of(40007, 40008, 40009), externalPorts(fake));
      }
      assertEquals(List.of(40008, 40009), externalPorts(fake));
      assertEquals("TCP 5000 40007\nUDP 5000 41000\n", Files.readString(memory));
    }
  }

  @Test
  void aLeftoverIsReusedWhenNothingIsRemembered(@TempDir Path dir) throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.putMapping(ours(40005, 5000));
      try (PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 0,
          NO_CHECKS.remembered(dir.resolve("ports")), new MappingListener() {})) {
        assertEquals(40005, m.externalPort());
        assertEquals(List.of(40005), externalPorts(fake));
      }
      assertEquals("TCP 5000 40005\n", Files.readString(dir.resolve("ports")));
    }
  }

  @Test
  void theLastPortIsNotTakenFromAnotherHost(@TempDir Path dir) throws Exception {
    Path memory = dir.resolve("ports");
    Files.writeString(memory, "TCP 5000 40009\n");
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40009, "10.0.0.99", 5000, "x", 0));
      try (PortMapping m = PortMapping.open(gatewayOf(fake), Protocol.TCP, 5000, 0,
          NO_CHECKS.remembered(memory), new MappingListener() {})) {
        assertEquals(5000, m.externalPort());
      }
      assertEquals("TCP 5000 5000\n", Files.readString(memory));
    }
  }

  @Test
  void aGarbledOrHugeMemoryIsIgnored(@TempDir Path dir) throws Exception {
    Path memory = dir.resolve("ports");
    for (String text : List.of("TCP 5000 99999\n", "TCP 5000\n", "TCP five 40007\n",
        "TCP 5000 40007\n" + "x".repeat(2000))) {
      Files.writeString(memory, text);
      assertEquals(0, EarlierMappings.lastPort(memory, Protocol.TCP, 5000), text);
    }
    assertEquals(0, EarlierMappings.lastPort(dir.resolve("none"), Protocol.TCP, 5000));
  }
}
