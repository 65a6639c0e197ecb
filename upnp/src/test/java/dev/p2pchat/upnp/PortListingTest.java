package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PortListingTest {
  @Test
  void toleratesLowercaseProtocolSpacesAndMissingLease() throws Exception {
    PortMappingEntry entry = PortListing.fromGeneric(Map.of(
        "NewRemoteHost", "", "NewExternalPort", " 7 ", "NewProtocol", "udp", "NewInternalPort", "8",
        "NewInternalClient", "192.168.1.9", "NewEnabled", "1"), "test");
    assertEquals(PortMappingEntry.of(Protocol.UDP, 7, "192.168.1.9", 8, "", 0), entry);
  }

  @Test
  void readsDisabledEntriesAndHugeLeases() throws Exception {
    PortMappingEntry entry = PortListing.fromSpecific(Map.of(
        "NewInternalPort", "8", "NewInternalClient", "192.168.1.9", "NewEnabled", "0",
        "NewPortMappingDescription", " spaced ", "NewLeaseDuration", "4294967295"),
        9, Protocol.TCP, "test");
    assertFalse(entry.enabled());
    assertEquals(" spaced ", entry.description());
    assertEquals(Integer.MAX_VALUE, entry.leaseSeconds());
  }

  @Test
  void refusesNonsense() {
    assertThrows(UpnpException.class, () -> PortListing.fromSpecific(
        Map.of("NewInternalPort", "-1"), 9, Protocol.TCP, "test"));
    assertThrows(UpnpException.class, () -> PortListing.fromSpecific(
        Map.of("NewInternalPort", "8", "NewLeaseDuration", "soon"), 9, Protocol.TCP, "test"));
    assertThrows(UpnpException.class, () -> PortListing.fromGeneric(
        Map.of("NewInternalPort", "8", "NewProtocol", "TCP"), "test"));
  }
}
