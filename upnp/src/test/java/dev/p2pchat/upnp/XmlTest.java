package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.jdom2.Element;
import org.junit.jupiter.api.Test;

/** The one reader of what routers send, descriptions and SOAP replies: what it reads, what it refuses. */
class XmlTest {
  private static final String REPLY = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
      + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
      + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
      + "<u:GetSpecificPortMappingEntryResponse"
      + " xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\">"
      + "<NewInternalPort>40000</NewInternalPort><NewInternalClient>192.168.1.10</NewInternalClient>"
      + "<NewEnabled>1</NewEnabled><NewPortMappingDescription>a &amp; b &lt;&#65;&#x42;&gt;"
      + "</NewPortMappingDescription><NewLeaseDuration>3600</NewLeaseDuration>"
      + "</u:GetSpecificPortMappingEntryResponse></s:Body></s:Envelope>\r\n";
  private static final String FAULT = "<?xml version=\"1.0\"?>\n<s:Envelope"
      + " xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">\n <s:Body>\n  <s:Fault>\n"
      + "   <faultcode>s:Client</faultcode>\n   <faultstring>UPnPError</faultstring>\n"
      + "   <detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">\n"
      + "    <errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription>"
      + "\n   </UPnPError></detail>\n  </s:Fault>\n </s:Body>\n</s:Envelope>\n";
  private static final String ODD = "<?xml version='1.0' standalone='yes'?><!-- c --><?pi x?>"
      + "<SOAP-ENV:Envelope xmlns:SOAP-ENV='http://schemas.xmlsoap.org/soap/envelope/'"
      + " xml:lang='en'><SOAP-ENV:Header/><SOAP-ENV:Body ><m:GetStatusInfoResponse"
      + " xmlns:m='urn:x'>\n<NewConnectionStatus>Con<!-- split -->nected<x>skip</x></NewConnectionStatus>"
      + "<NewUptime><![CDATA[<42>]]></NewUptime><NewLastConnectionError\n/></m:GetStatusInfoResponse>"
      + "</SOAP-ENV:Body\n></SOAP-ENV:Envelope><!-- after --> ";

  private static Element parse(String xml) throws UpnpException {
    return Xml.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(String xml) {
    return refusal(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(byte[] xml) {
    String message = assertThrows(UpnpException.class, () -> Xml.parse(xml)).getMessage();
    assertTrue(message.startsWith("not acceptable XML (") && message.indexOf('\n') < 0, message);
    return message;
  }

  private static Element body(Element envelope) {
    return Xml.child(envelope, "Body").getChildren().get(0);
  }

  @Test
  void predefinedEntitiesCharacterReferencesAndCdataAreText() throws Exception {
    Element root = parse("<r><a>x &amp; y &lt;&#65;&#x42;</a><b><![CDATA[<c>]]></b></r>");
    assertEquals("x & y <AB", Xml.childText(root, "a"));
    assertEquals("<c>", Xml.childText(root, "b"));
  }

  @Test
  void readsRepliesByLocalNameWithTheirTextResolved() throws Exception {
    Element response = body(parse(REPLY));
    assertEquals("GetSpecificPortMappingEntryResponse", response.getName());
    assertEquals("a & b <AB>", Xml.childText(response, "NewPortMappingDescription"));
    assertEquals("40000", Xml.childText(response, "NewInternalPort"));
    assertEquals(5, response.getChildren().size());
  }

  @Test
  void anyPrefixCommentsProcessingInstructionsCdataAndWhitespaceAreFine() throws Exception {
    Element envelope = parse(ODD);
    assertEquals("Envelope", envelope.getName());
    Element response = body(envelope);
    assertEquals("Connected", Xml.child(response, "NewConnectionStatus").getText());
    assertEquals("skip", Xml.childText(Xml.child(response, "NewConnectionStatus"), "x"));
    assertEquals("<42>", Xml.childText(response, "NewUptime"));
    assertEquals("", Xml.childText(response, "NewLastConnectionError"));
    Element fault = Xml.child(Xml.child(parse(FAULT), "Body"), "Fault");
    assertEquals("718", Xml.childText(Xml.child(Xml.child(fault, "detail"), "UPnPError"),
        "errorCode"));
  }

  @Test
  void lineEndsAreReadAsXmlReadsThem() throws Exception {
    assertEquals("a\nb\nc\rd", parse("<r>a\r\nb\rc&#13;d</r>").getText());
  }

  @Test
  void declaredEncodingsAreReadAndWrongBytesRefused() throws Exception {
    byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf\u00e9</r>"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("caf\u00e9", Xml.parse(latin1).getText());
    assertEquals("\u00e9", Xml.parse("\ufeff<r>\u00e9</r>".getBytes(StandardCharsets.UTF_8)).getText());
    assertEquals("\u00e9", Xml.parse("<r>\u00e9</r>".getBytes(StandardCharsets.UTF_16)).getText());
    refusal("<r>caf\u00e9</r>".getBytes(StandardCharsets.ISO_8859_1)); // undeclared, not UTF-8
    refusal("<?xml version=\"1.0\" encoding=\"no-such-charset\"?><r/>");
    refusal("<r>\u0001</r>");
  }

  @Test
  void doctypeEntitiesAndBadReferencesAreRefused() {
    assertEquals("not acceptable XML (DOCTYPE is not allowed)",
        refusal("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"b\">]><r>&a;</r>"));
    assertEquals("not acceptable XML (DOCTYPE is not allowed)",
        refusal("<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"http://192.0.2.1/x.dtd\"><r/>"));
    assertEquals("not acceptable XML (entity reference &lol; is not allowed)",
        refusal("<r>&lol;</r>"));
    assertEquals("not acceptable XML (entity reference &x; is not allowed)",
        refusal("<r><a>before &x; after</a></r>"));
    for (String bad : List.of("<r><!DOCTYPE r></r>", "<r><!ENTITY a \"b\"></r>", "<r a=\"&x;\"/>",
        "<r>a & b</r>", "<r>&" + "a".repeat(100) + ";</r>", "<r>&#0;</r>", "<r>&#x110000;</r>",
        "<r>&#99999999999999;</r>", "<r>&#;</r>", "<r>&#X41;</r>")) {
      refusal(bad);
    }
  }

  @Test
  void parseErrorsAreOneLineWithoutTheParsersPreamble() {
    assertEquals("not acceptable XML (Content is not allowed in prolog.)",
        refusal("this is not XML at all"));
  }

  @Test
  void truncatedRepliesAreRefusedWhereverTheyEnd() {
    for (int end = 0; end < REPLY.trim().length(); end++) {
      refusal(REPLY.substring(0, end));
    }
    refusal("<r><!-- x");
    refusal("<r><![CDATA[x");
  }

  @Test
  void wrongNestingAndBadMarkupAreRefused() {
    for (String bad : List.of("<r><a><b></a></b></r>", "<r xmlns:s=\"x\"></s:r>", "</r>",
        "<r/><r/>", "x<r/>", "<s:r/>", "<r><a xmlns:s=\"x\"/><s:b/></r>", "<r t:a=\"1\"/>",
        "<s:r xmlns:s=\"\"/>", "<r a=\"1\" a='2'/>", "<r a=1/>", "<r a=\"<\"/>",
        "<r a=\"1\"b=\"2\"/>", "<r><1/></r>", "<a:b:c xmlns:a='x'/>", "<r>]]></r>",
        "<r><!-- a -- b --></r>", " <?xml version=\"1.0\"?><r/>")) {
      refusal(bad);
    }
  }

  @Test
  void nestingIsBounded() throws Exception {
    int allowed = Xml.MAX_DEPTH;
    Element node = parse("<x>".repeat(allowed) + "in" + "</x>".repeat(allowed));
    for (int depth = 1; depth < allowed; depth++) node = Xml.child(node, "x");
    assertEquals("in", node.getText());
    assertTrue(refusal("<x>".repeat(allowed + 1) + "</x>".repeat(allowed + 1)).contains("64"));
    assertTrue(refusal("<x>".repeat(100_000)).contains("64"));
  }

  /** Replies with random damage are read or refused with an UpnpException, never anything else. */
  @Test
  void damagedRepliesAreReadOrRefusedNeverACrash() {
    Random random = new Random(20261125);
    String alphabet = "<>/&;:=\"' !-?[]#x1\r\n\t\u0001\u00e9sC";
    List<String> valid = List.of(REPLY, FAULT, ODD);
    int read = 0;
    int refused = 0;
    for (int i = 0; i < 3000; i++) {
      StringBuilder xml = new StringBuilder(valid.get(i % valid.size()));
      for (int damage = 1 + random.nextInt(3); damage > 0; damage--) {
        int at = random.nextInt(xml.length());
        switch (random.nextInt(4)) {
          case 0 -> xml.deleteCharAt(at);
          case 1 -> xml.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 2 -> xml.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> xml.insert(at, xml.substring(at, Math.min(xml.length(), at + 12)));
        }
      }
      try {
        parse(xml.toString());
        read++;
      } catch (UpnpException e) {
        assertTrue(e.getMessage().startsWith("not acceptable XML ("), e.getMessage());
        refused++;
      }
    }
    assertTrue(read > 300 && refused > 300, "read " + read + ", refused " + refused);
  }
}
