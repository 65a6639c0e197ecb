package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SOAP replies as routers really send them: odd prefixes, faults, junk. */
class SoapTest {
  private static Gateway gatewayOf(FakeGateway fake, Duration timeout) throws Exception {
    return GatewayFinder.atLocation(URI.create(fake.location()), timeout);
  }

  private static Gateway gatewayOf(FakeGateway fake) throws Exception {
    return gatewayOf(fake, Duration.ofSeconds(5));
  }

  private static void assertMentions(Exception e, String text) {
    assertTrue(e.getMessage().contains(text), "message: " + e.getMessage());
  }

  @Test
  void anyNamespacePrefixIsAccepted() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(200, "<?xml version=\"1.0\"?>"
          + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<SOAP-ENV:Body><m:GetExternalIPAddressResponse xmlns:m=\"" + DeviceDescription.WAN_IP_2 + "\">"
          + "<NewExternalIPAddress> 198.51.100.20 </NewExternalIPAddress>"
          + "</m:GetExternalIPAddressResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>");
      assertEquals(InetAddress.getByName("198.51.100.20"), gatewayOf(fake).externalIpAddress());
    }
  }

  @Test
  void faultWithOtherPrefixesBecomesTypedException() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(500, "<?xml version=\"1.0\"?>"
          + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body>"
          + "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>UPnPError</faultstring>"
          + "<detail><e:UPnPError xmlns:e=\"urn:schemas-upnp-org:control-1-0\"><e:errorCode>606</e:errorCode>"
          + "<e:errorDescription>Action not authorized</e:errorDescription></e:UPnPError></detail>"
          + "</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>");
      SoapFaultException e = assertThrows(SoapFaultException.class, () -> gatewayOf(fake).externalIpAddress());
      assertEquals(606, e.errorCode());
      assertEquals("Action not authorized", e.errorDescription());
      assertMentions(e, "refused GetExternalIPAddress: 606 Action not authorized");
    }
  }

  @Test
  void faultWithoutUpnpErrorStillSaysWhat() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(500, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
          + "<s:Fault><faultcode>s:Server</faultcode><faultstring>Internal trouble</faultstring></s:Fault>"
          + "</s:Body></s:Envelope>");
      SoapFaultException e = assertThrows(SoapFaultException.class, () -> gatewayOf(fake).statusInfo());
      assertEquals(-1, e.errorCode());
      assertEquals("Internal trouble", e.errorDescription());
    }
  }

  @Test
  void httpErrorWithoutSoapBodyIsAClearError() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(500, "");
      assertMentions(assertThrows(UpnpException.class, () -> gatewayOf(fake).statusInfo()),
          "answered GetStatusInfo with HTTP 500 Internal Server Error");
    }
  }

  @Test
  void junkRepliesAreClearErrors() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = gatewayOf(fake);
      fake.rawSoapReply(200, "OK!");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "sent an invalid GetConnectionTypeInfo reply");
      fake.rawSoapReply(200, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
          + "<u:SomethingElse xmlns:u=\"x\"/></s:Body></s:Envelope>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "without GetConnectionTypeInfoResponse");
      fake.rawSoapReply(200, "<!DOCTYPE s [<!ENTITY a \"aaaaaaaaaaaaaaaa\">]><s:Envelope/>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo), "DOCTYPE");
    }
  }

  @Test
  void argumentTextIsReadAsXmlMeansIt() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(200, "<?xml version=\"1.0\"?><!-- a comment --><s:Envelope"
          + " xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header><x/></s:Header>"
          + "<s:Body><u:GetConnectionTypeInfoResponse xmlns:u=\"x\">"
          + "<NewConnectionType>IP<!-- split -->_<![CDATA[Rou<ted>]]> &amp; &#65;<i>ignored</i>"
          + "</NewConnectionType><NewPossibleConnectionTypes/></u:GetConnectionTypeInfoResponse>"
          + "</s:Body><s:Body><u:GetConnectionTypeInfoResponse xmlns:u=\"x\"><NewConnectionType>"
          + "second</NewConnectionType></u:GetConnectionTypeInfoResponse></s:Body></s:Envelope>");
      assertEquals("IP_Rou<ted> & A", gatewayOf(fake).connectionTypeInfo());
    }
  }

  @Test
  void theFirstUpnpErrorAnywhereInTheFaultCounts() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(500, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<s:Body><s:Fault><faultstring>UPnPError</faultstring><detail><wrap><UPnPError>"
          + "<errorDescription> Conflict </errorDescription><errorCode>718</errorCode>"
          + "<errorCode>1</errorCode></UPnPError></wrap><UPnPError><errorCode>2</errorCode>"
          + "</UPnPError></detail></s:Fault></s:Body></s:Envelope>");
      SoapFaultException e = assertThrows(SoapFaultException.class,
          () -> gatewayOf(fake).connectionTypeInfo());
      assertEquals(718, e.errorCode());
      assertEquals("Conflict", e.errorDescription());
    }
  }

  @Test
  void hostileRepliesAreClearErrorsNotCrashes() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = gatewayOf(fake);
      String deep = "<x>".repeat(30_000) + "</x>".repeat(30_000); // 210 KiB, under the cap
      fake.rawSoapReply(500, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<s:Body><s:Fault>" + deep + "<faultstring>deep</faultstring></s:Fault></s:Body>"
          + "</s:Envelope>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "answered GetConnectionTypeInfo with HTTP 500");
      fake.rawSoapReply(200, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<s:Body><u:GetConnectionTypeInfoResponse xmlns:u=\"x\"><NewConnectionType>" + deep
          + "</NewConnectionType></u:GetConnectionTypeInfoResponse></s:Body></s:Envelope>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "sent an invalid GetConnectionTypeInfo reply: not acceptable XML (");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "has a depth of \"65\" that exceeds the limit \"64\"");
      fake.rawSoapReply(200, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<s:Body><u:GetConnectionTypeInfoResponse xmlns:u=\"x\"><NewConnectionType>IP_Routed"
          + "</NewConnectionType></u:GetConnectionTypeInfoResponse></s:Body></s:Envelope><junk>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "sent an invalid GetConnectionTypeInfo reply: not acceptable XML (");
      fake.rawSoapReply(200, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
          + "<s:Body><u:GetConnectionTypeInfoResponse xmlns:u=\"x\"><NewConnectionType>&lol;"
          + "</NewConnectionType></u:GetConnectionTypeInfoResponse></s:Body></s:Envelope>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "not acceptable XML (entity reference &lol; is not allowed)");
      fake.rawSoapReply(200, "<Reply><Body><GetConnectionTypeInfoResponse><NewConnectionType>x"
          + "</NewConnectionType></GetConnectionTypeInfoResponse></Body></Reply>");
      assertMentions(assertThrows(UpnpException.class, gateway::connectionTypeInfo),
          "without GetConnectionTypeInfoResponse");
    }
  }

  @Test
  void truncatedAndSilentRepliesFailWithinTheTimeout() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      Gateway gateway = gatewayOf(fake, Duration.ofMillis(300));
      fake.soapStyle(FakeGateway.Style.TRUNCATED);
      assertMentions(assertThrows(UpnpException.class, gateway::externalIpAddress), "cut its answer short");
      fake.soapStyle(FakeGateway.Style.NEVER_ANSWER);
      long start = System.nanoTime();
      assertMentions(assertThrows(UpnpException.class, gateway::externalIpAddress), "did not answer within 300 ms");
      assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
    }
  }

  @Test
  void listingEndsOnAnyEndOfListFault() throws Exception {
    for (int code : new int[] {713, 714, 402, 501}) {
      try (FakeGateway fake = new FakeGateway()) {
        fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40000, "10.0.0.99", 22, "a", 0));
        fake.service.putMapping(PortMappingEntry.of(Protocol.TCP, 40001, "10.0.0.99", 23, "b", 0));
        Gateway gateway = gatewayOf(fake);
        assertEquals(2, gateway.portMappings().size());
        fake.service.failNext("GetGenericPortMappingEntry", code, "end");
        assertEquals(List.of(), gateway.portMappings(), "code " + code);
      }
    }
  }

  @Test
  void listingFailsOnOtherFaults() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.service.failNext("GetGenericPortMappingEntry", 606, "Action not authorized");
      assertEquals(606, assertThrows(SoapFaultException.class, () -> gatewayOf(fake).portMappings()).errorCode());
    }
  }

  @Test
  void listingIsCapped() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      for (int port = 1; port <= Gateway.MAX_LISTED_MAPPINGS + 5; port++) {
        fake.service.putMapping(PortMappingEntry.of(Protocol.UDP, port, "10.0.0.99", port, "x", 0));
      }
      assertEquals(Gateway.MAX_LISTED_MAPPINGS, gatewayOf(fake).portMappings().size());
    }
  }

  @Test
  void badNumbersInAListingAreClearErrors() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.rawSoapReply(200, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
          + "<u:GetGenericPortMappingEntryResponse xmlns:u=\"x\"><NewExternalPort>70000</NewExternalPort>"
          + "<NewProtocol>TCP</NewProtocol><NewInternalPort>1</NewInternalPort></u:GetGenericPortMappingEntryResponse>"
          + "</s:Body></s:Envelope>");
      assertMentions(assertThrows(UpnpException.class, () -> gatewayOf(fake).portMappings()),
          "sent an invalid NewExternalPort: \"70000\"");
      fake.rawSoapReply(200, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
          + "<u:GetGenericPortMappingEntryResponse xmlns:u=\"x\"><NewExternalPort>7</NewExternalPort>"
          + "<NewProtocol>SCTP</NewProtocol><NewInternalPort>1</NewInternalPort></u:GetGenericPortMappingEntryResponse>"
          + "</s:Body></s:Envelope>");
      assertMentions(assertThrows(UpnpException.class, () -> gatewayOf(fake).portMappings()),
          "unknown protocol \"SCTP\"");
    }
  }
}
