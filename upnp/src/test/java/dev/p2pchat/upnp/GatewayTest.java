package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static Gateway gatewayOf(FakeGateway fake) throws Exception {
    return GatewayFinder.atLocation(URI.create(fake.location()), TIMEOUT);
  }

  private static PortMappingEntry request(int external, int internal) {
    return PortMappingEntry.of(Protocol.TCP, external, "127.0.0.1", internal, "p2p-chat", 3600);
  }

  @Test
  void readsConnectionInfo() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = gatewayOf(fake);

      assertEquals(InetAddress.getByName("203.0.113.7"), gateway.externalIpAddress());
      ConnectionStatus status = gateway.statusInfo();
      assertEquals(new ConnectionStatus("Connected", "ERROR_NONE", 4242), status);
      assertTrue(status.connected());
      assertEquals("IP_Routed", gateway.connectionTypeInfo());
    }
  }

  @Test
  void emptyExternalAddressIsNone() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.externalIp("");
      assertEquals(null, gatewayOf(fake).externalIpAddress());
      fake.service.externalIp("not-an-address.example");
      assertEquals(null, gatewayOf(fake).externalIpAddress());
    }
  }

  @Test
  void addsListsFindsAndDeletesMappings() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = gatewayOf(fake);
      gateway.addPortMapping(request(40000, 5000));
      gateway.addPortMapping(PortMappingEntry.of(Protocol.UDP, 40001, "127.0.0.1", 5001, "p2p-chat", 0));

      assertEquals(List.of(request(40000, 5000),
              PortMappingEntry.of(Protocol.UDP, 40001, "127.0.0.1", 5001, "p2p-chat", 0)),
          gateway.portMappings());
      assertEquals(request(40000, 5000), gateway.specificPortMappingEntry(40000, Protocol.TCP).orElseThrow());
      assertTrue(gateway.specificPortMappingEntry(40000, Protocol.UDP).isEmpty());

      gateway.deletePortMapping(40000, Protocol.TCP);
      assertTrue(gateway.specificPortMappingEntry(40000, Protocol.TCP).isEmpty());
      assertEquals(1, gateway.portMappings().size());
    }
  }

  @Test
  void sendsSoapActionHeaderAndEscapedArguments() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = gatewayOf(fake);
      String description = "a<b & \"c\" 'd' </NewPortMappingDescription>";
      gateway.addPortMapping(PortMappingEntry.of(Protocol.TCP, 40000, "127.0.0.1", 5000, description, 60));

      RecordedRequest add = fake.requests().get(fake.requests().size() - 1);
      assertEquals("POST", add.method());
      assertEquals(FakeGateway.CONTROL_PATH, add.path());
      assertEquals("\"" + DeviceDescription.WAN_IP_2 + "#AddPortMapping\"", add.header("SOAPAction"));
      assertTrue(add.bodyText().contains("a&lt;b &amp; &quot;c&quot; &apos;d&apos; &lt;/NewPortMappingDescription&gt;"),
          add.bodyText());
      assertEquals(description, fake.service.mappings().get(0).description());
      assertEquals(description, gateway.portMappings().get(0).description());
    }
  }

  @Test
  void conflictIsATypedFault() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "other", 0));
      Gateway gateway = gatewayOf(fake);

      SoapFaultException e = assertThrows(SoapFaultException.class,
          () -> gateway.addPortMapping(request(40000, 5000)));
      assertEquals(718, e.errorCode());
      assertEquals("ConflictInMappingEntry", e.errorDescription());
      assertEquals("AddPortMapping", e.action());
      assertTrue(e.getMessage().contains("718 ConflictInMappingEntry"), e.getMessage());
    }
  }

  @Test
  void addAnyPortMappingReservesAFreePortOnVersion2Only() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "other", 0));
      assertEquals(40001, gatewayOf(fake).addAnyPortMapping(request(40000, 5000)));
    }
    try (FakeGateway fake = new FakeGateway(FakeGateway.Kind.IGD_V1)) {
      Gateway gateway = gatewayOf(fake);
      assertFalse(gateway.supportsAddAnyPortMapping());
      assertThrows(UpnpException.class, () -> gateway.addAnyPortMapping(request(40000, 5000)));
      assertTrue(fake.actions().isEmpty());
    }
  }
}
