package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fetching and parsing device descriptions, including hostile ones. */
class DescriptionTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static Gateway gatewayOf(FakeGateway fake) throws Exception {
    return GatewayFinder.atLocation(URI.create(fake.location()), TIMEOUT);
  }

  private static UpnpException refused(FakeGateway fake) {
    return assertThrows(UpnpException.class, () -> gatewayOf(fake));
  }

  private static void assertMentions(Exception e, String text) {
    assertTrue(e.getMessage().contains(text), "message: " + e.getMessage());
  }

  @Test
  void controlUrlResolvesAgainstUrlBase() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V2, fake.httpUrl("/base/"), "ctl/IPConn"));
      Gateway gateway = gatewayOf(fake);

      assertEquals(URI.create(fake.httpUrl("/base/ctl/IPConn")), gateway.controlUrl());
      gateway.externalIpAddress();
      assertEquals("/base/ctl/IPConn", fake.requests().get(1).path());
    }
  }

  @Test
  void relativeControlUrlResolvesAgainstLocation() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V1, "", "ctl/relative"));
      assertEquals(URI.create(fake.httpUrl("/ctl/relative")), gatewayOf(fake).controlUrl());
    }
  }

  @Test
  void urlBaseWithoutPathStillResolves() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V1, fake.httpUrl(""), "ctl"));
      assertEquals(URI.create(fake.httpUrl("/ctl")), gatewayOf(fake).controlUrl());
    }
  }

  @Test
  void controlUrlOnAnotherHostIsRefused() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V2, "", "http://127.0.0.2:80/ctl"));
      assertMentions(refused(fake), "control URL is on another host");
    }
  }

  @Test
  void prefersWanIpConnection2ThenIp1ThenPpp() throws Exception {
    String v1 = FakeGateway.description(FakeGateway.Kind.IGD_V1, "", "/ctl/ip1");
    String ppp = FakeGateway.description(FakeGateway.Kind.PPP, "", "/ctl/ppp");
    String v2 = FakeGateway.description(FakeGateway.Kind.IGD_V2, "", "/ctl/ip2");
    // graft the services of the other descriptions into one device tree
    String both = ppp.replace("</serviceList>\n   </device></deviceList>",
        "</serviceList>\n   </device>" + wanConnectionDevice(v1) + "</deviceList>");
    String all = both.replace("</deviceList>\n  </device></deviceList>",
        wanConnectionDevice(v2) + "</deviceList>\n  </device></deviceList>");
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(both);
      assertEquals(DeviceDescription.WAN_IP_1, gatewayOf(fake).serviceType());
      fake.description(all);
      Gateway gateway = gatewayOf(fake);
      assertEquals(DeviceDescription.WAN_IP_2, gateway.serviceType());
      assertEquals(URI.create(fake.httpUrl("/ctl/ip2")), gateway.controlUrl());
    }
  }

  private static String wanConnectionDevice(String description) {
    int start = description.lastIndexOf("<device>");
    int end = description.indexOf("</device>", start) + "</device>".length();
    return description.substring(start, end);
  }

  @Test
  void descriptionWithoutWanServiceIsRefused() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V2, "", "/ctl")
          .replace(DeviceDescription.WAN_IP_2, "urn:schemas-upnp-org:service:WANIPv6FirewallControl:1"));
      assertMentions(refused(fake), "offers no WANIPConnection or WANPPPConnection service");
    }
  }

  @Test
  void namespacePrefixesDoNotMatter() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description(FakeGateway.description(FakeGateway.Kind.IGD_V2, "", "/ctl/IPConn")
          .replace("<root xmlns=\"urn:schemas-upnp-org:device-1-0\">", "<d:root xmlns:d=\"urn:schemas-upnp-org:device-1-0\">")
          .replace("</root>", "</d:root>"));
      // child elements are in no namespace now; the root has a prefix: both must be accepted
      assertEquals(DeviceDescription.WAN_IP_2, gatewayOf(fake).serviceType());
    }
  }

  @Test
  void nonXmlAndWrongXmlAreRefused() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.description("<html><body>Router login</body></html>");
      assertMentions(refused(fake), "invalid description: no <root><device>");
      fake.description("this is not XML at all");
      assertMentions(refused(fake), "router at 127.0.0.1:");
      assertMentions(refused(fake), "sent an invalid description: not acceptable XML");
    }
  }

  @Test
  void externalEntityIsRefusedAndNothingIsFetched() throws Exception {
    try (FakeGateway fake = new FakeGateway(); FakeGateway elsewhere = new FakeGateway()) {
      String secret = elsewhere.httpUrl("/secret");
      String base = FakeGateway.description(FakeGateway.Kind.IGD_V2, "", "/ctl/IPConn");
      fake.description("<?xml version=\"1.0\"?>\n<!DOCTYPE root [<!ENTITY x SYSTEM \"" + secret + "\">]>\n"
          + base.substring(base.indexOf("<root")).replace("Fake Router", "&x;"));
      assertMentions(refused(fake), "DOCTYPE");

      fake.description("<?xml version=\"1.0\"?>\n<!DOCTYPE root SYSTEM \"" + secret + "\">\n"
          + base.substring(base.indexOf("<root")));
      assertMentions(refused(fake), "DOCTYPE");

      fake.description("<?xml version=\"1.0\"?>\n<!DOCTYPE root [<!ENTITY % p SYSTEM \"" + secret + "\"> %p;]>\n"
          + base.substring(base.indexOf("<root")));
      assertMentions(refused(fake), "DOCTYPE");

      assertEquals(0, elsewhere.requests().size());
    }
  }

  @Test
  void entityExpansionBombIsRefused() throws Exception {
    StringBuilder doctype = new StringBuilder("<!DOCTYPE root [<!ENTITY a0 \"lol\">");
    for (int i = 1; i <= 10; i++) {
      String prev = "&a" + (i - 1) + ";";
      doctype.append("<!ENTITY a").append(i).append(" \"").append(prev.repeat(10)).append("\">");
    }
    doctype.append("]>");
    try (FakeGateway fake = new FakeGateway()) {
      String base = FakeGateway.description(FakeGateway.Kind.IGD_V2, "", "/ctl/IPConn");
      fake.description("<?xml version=\"1.0\"?>\n" + doctype + "\n"
          + base.substring(base.indexOf("<root")).replace("Fake Router", "&a10;"));
      assertMentions(refused(fake), "DOCTYPE");
    }
  }

  @Test
  void oversizedDescriptionIsCapped() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.descriptionStyle(FakeGateway.Style.OVERSIZED);
      assertMentions(refused(fake), "larger than 256 KiB");
    }
  }

  @Test
  void truncatedDescriptionIsRefused() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.descriptionStyle(FakeGateway.Style.TRUNCATED);
      assertMentions(refused(fake), "cut its answer short");
    }
  }

  @Test
  void silentRouterTimesOut() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      fake.descriptionStyle(FakeGateway.Style.NEVER_ANSWER);
      long start = System.nanoTime();
      UpnpException e = assertThrows(UpnpException.class,
          () -> GatewayFinder.atLocation(URI.create(fake.location()), Duration.ofMillis(300)));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertMentions(e, "did not answer within 300 ms");
      assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
    }
  }

  @Test
  void nobodyListeningIsAClearError() throws Exception {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    UpnpException e = assertThrows(UpnpException.class, () -> GatewayFinder.atLocation(
        URI.create("http://127.0.0.1:" + port + "/rootDesc.xml"), TIMEOUT));
    assertMentions(e, "cannot connect to router at 127.0.0.1:" + port);
  }

  @Test
  void missingDescriptionIsAClearError() throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      UpnpException e = assertThrows(UpnpException.class,
          () -> GatewayFinder.atLocation(URI.create(fake.httpUrl("/nope.xml")), TIMEOUT));
      assertMentions(e, "with HTTP 404");
    }
  }

  @Test
  void everyFramingOfTheAnswerIsUnderstood() throws Exception {
    for (FakeGateway.Style style : new FakeGateway.Style[] {
        FakeGateway.Style.CHUNKED, FakeGateway.Style.LOWERCASE, FakeGateway.Style.UNTIL_CLOSE}) {
      try (FakeGateway fake = new FakeGateway()) {
        fake.descriptionStyle(style);
        fake.soapStyle(style);
        Gateway gateway = gatewayOf(fake);
        assertEquals("Fake Router", gateway.friendlyName(), style.name());
        assertEquals(InetAddress.getByName("203.0.113.7"), gateway.externalIpAddress(), style.name());
        SoapFaultException fault = assertThrows(SoapFaultException.class,
            () -> gateway.deletePortMapping(1234, Protocol.TCP), style.name());
        assertEquals(714, fault.errorCode(), style.name());
      }
    }
  }
}
