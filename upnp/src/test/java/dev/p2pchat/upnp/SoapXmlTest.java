package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

/** The hand-written reader of SOAP replies: what it accepts, what it refuses, and how. */
class SoapXmlTest {
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

  private static SoapXml.Node parse(String xml) throws UpnpException {
    return SoapXml.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(String xml) {
    return assertThrows(UpnpException.class, () -> parse(xml)).getMessage();
  }

  private static SoapXml.Node body(SoapXml.Node envelope) {
    return envelope.child("Body").children().get(0);
  }

  @Test
  void readsRepliesByLocalNameWithTheirTextResolved() throws Exception {
    SoapXml.Node response = body(parse(REPLY));
    assertEquals("GetSpecificPortMappingEntryResponse", response.name());
    assertEquals("a & b <AB>", response.child("NewPortMappingDescription").text());
    assertEquals("40000", response.child("NewInternalPort").text());
    assertEquals(5, response.children().size());
  }

  @Test
  void anyPrefixCommentsProcessingInstructionsCdataAndWhitespaceAreFine() throws Exception {
    SoapXml.Node envelope = parse(ODD);
    assertEquals("Envelope", envelope.name());
    SoapXml.Node response = body(envelope);
    assertEquals("Connected", response.child("NewConnectionStatus").text());
    assertEquals("skip", response.child("NewConnectionStatus").child("x").text());
    assertEquals("<42>", response.child("NewUptime").text());
    assertEquals("", response.child("NewLastConnectionError").text());
    SoapXml.Node fault = parse(FAULT).child("Body").child("Fault");
    assertEquals("718", fault.child("detail").child("UPnPError").child("errorCode").text());
  }

  @Test
  void lineEndsAreReadAsXmlReadsThem() throws Exception {
    assertEquals("a\nb\nc\rd", parse("<r>a\r\nb\rc&#13;d</r>").text());
  }

  @Test
  void otherEncodingsAreReadOrRefusedNeverGuessed() throws Exception {
    byte[] latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf\u00e9</r>"
        .getBytes(StandardCharsets.ISO_8859_1);
    assertEquals("caf\u00e9", SoapXml.parse(latin1).text());
    byte[] bom = "\ufeff<r>\u00e9</r>".getBytes(StandardCharsets.UTF_8);
    assertEquals("\u00e9", SoapXml.parse(bom).text());
    assertEquals("not acceptable XML (not UTF-8 text)",
        assertThrows(UpnpException.class, () -> SoapXml.parse(
            "<r>caf\u00e9</r>".getBytes(StandardCharsets.ISO_8859_1))).getMessage());
    assertEquals("not acceptable XML (encoding Shift_JIS is not supported)",
        refusal("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><r/>"));
    assertEquals("not acceptable XML (UTF-16 and UTF-32 are not supported)",
        assertThrows(UpnpException.class, () -> SoapXml.parse(
            "<r/>".getBytes(StandardCharsets.UTF_16))).getMessage());
    assertEquals("not acceptable XML (XML version 1.1 is not supported)",
        refusal("<?xml version=\"1.1\"?><r/>"));
  }

  @Test
  void doctypeEntitiesAndBadReferencesAreRefused() {
    assertEquals("not acceptable XML (DOCTYPE is not allowed)",
        refusal("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"b\">]><r>&a;</r>"));
    assertEquals("not acceptable XML (DOCTYPE is not allowed)", refusal("<r><!DOCTYPE r></r>"));
    assertEquals("not acceptable XML (markup declarations are not allowed)",
        refusal("<r><!ENTITY a \"b\"></r>"));
    assertEquals("not acceptable XML (entity reference &lol; is not allowed)",
        refusal("<r>&lol;</r>"));
    assertEquals("not acceptable XML (entity reference &x; is not allowed)",
        refusal("<r a=\"&x;\"/>"));
    assertEquals("not acceptable XML ('&' not starting a reference)", refusal("<r>a & b</r>"));
    assertEquals("not acceptable XML ('&' not starting a reference)",
        refusal("<r>&" + "a".repeat(100) + ";</r>"));
    assertEquals("not acceptable XML (bad character reference &#0;)", refusal("<r>&#0;</r>"));
    assertEquals("not acceptable XML (bad character reference &#x110000;)",
        refusal("<r>&#x110000;</r>"));
    assertEquals("not acceptable XML (bad character reference &#99999999999999;)",
        refusal("<r>&#99999999999999;</r>"));
    assertEquals("not acceptable XML (bad character reference &#;)", refusal("<r>&#;</r>"));
    assertEquals("not acceptable XML (bad character reference &#X41;)", refusal("<r>&#X41;</r>"));
    assertEquals("not acceptable XML (character U+0001 is not allowed in XML)",
        refusal("<r>\u0001</r>"));
  }

  @Test
  void truncatedRepliesAreRefusedWhereverTheyEnd() {
    for (int end = 0; end < REPLY.trim().length(); end++) {
      String cut = REPLY.substring(0, end);
      assertTrue(refusal(cut).startsWith("not acceptable XML ("), cut);
    }
    assertEquals("not acceptable XML (the document ends inside <u:GetSpecificPortMappingEntryResponse>)",
        refusal(REPLY.substring(0, REPLY.indexOf("</u:"))));
    assertEquals("not acceptable XML (no root element)", refusal(""));
    assertEquals("not acceptable XML (the document ends inside a comment)", refusal("<r><!-- x"));
    assertEquals("not acceptable XML (the document ends inside a CDATA section)",
        refusal("<r><![CDATA[x"));
  }

  @Test
  void wrongNestingAndBadMarkupAreRefused() {
    assertEquals("not acceptable XML (</a> does not close <b>)", refusal("<r><a><b></a></b></r>"));
    assertEquals("not acceptable XML (</s:r> does not close <r>)",
        refusal("<r xmlns:s=\"x\"></s:r>"));
    assertEquals("not acceptable XML (bad name for an element)", refusal("</r>"));
    assertEquals("not acceptable XML (content after the root element)", refusal("<r/><r/>"));
    assertEquals("not acceptable XML (text before the root element)", refusal("x<r/>"));
    assertEquals("not acceptable XML (namespace prefix s of s:r is not declared)",
        refusal("<s:r/>"));
    assertEquals("not acceptable XML (namespace prefix s of s:b is not declared)",
        refusal("<r><a xmlns:s=\"x\"/><s:b/></r>"));
    assertEquals("not acceptable XML (namespace prefix t of t:a is not declared)",
        refusal("<r t:a=\"1\"/>"));
    assertEquals("not acceptable XML (bad namespace declaration xmlns:s)",
        refusal("<s:r xmlns:s=\"\"/>"));
    assertEquals("not acceptable XML (attribute a twice in <r>)", refusal("<r a=\"1\" a='2'/>"));
    assertEquals("not acceptable XML (attribute a is not quoted)", refusal("<r a=1/>"));
    assertEquals("not acceptable XML ('<' in attribute a)", refusal("<r a=\"<\"/>"));
    assertEquals("not acceptable XML (bad character in <r>)", refusal("<r a=\"1\"b=\"2\"/>"));
    assertEquals("not acceptable XML (bad name for an element)", refusal("<r><1/></r>"));
    assertEquals("not acceptable XML (bad name for an element)", refusal("<a:b:c xmlns:a='x'/>"));
    assertEquals("not acceptable XML (']]>' in text)", refusal("<r>]]></r>"));
    assertEquals("not acceptable XML ('--' inside a comment)", refusal("<r><!-- a -- b --></r>"));
    assertEquals("not acceptable XML (an XML declaration not at the start)",
        refusal(" <?xml version=\"1.0\"?><r/>"));
    assertEquals("not acceptable XML (more than 16 attributes in <r>)",
        refusal("<r" + attributes(17) + "/>"));
  }

  private static String attributes(int count) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) s.append(" a").append(i).append("=''");
    return s.toString();
  }

  @Test
  void nestingIsBoundedWithoutRecursion() throws Exception {
    int allowed = SoapXml.MAX_DEPTH;
    SoapXml.Node node = parse("<x>".repeat(allowed) + "in" + "</x>".repeat(allowed));
    for (int depth = 1; depth < allowed; depth++) node = node.child("x");
    assertEquals("in", node.text());
    assertEquals("not acceptable XML (elements nested more than 64 deep)",
        refusal("<x>".repeat(allowed + 1) + "</x>".repeat(allowed + 1)));
    assertEquals("not acceptable XML (elements nested more than 64 deep)",
        refusal("<x>".repeat(100_000)));
  }

  /**
   * Replies with random damage: the reader either refuses one with an UpnpException or reads
   * the very tree the JDK's StAX parser reads (as SOAP replies were read before: DTD support and
   * external entities off, DOCTYPE and entity references refused) — never something else, and
   * never another exception.
   */
  @Test
  void damagedRepliesAreReadAsStaxReadsThemOrRefused() throws Exception {
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
      byte[] bytes = xml.toString().getBytes(StandardCharsets.UTF_8);
      SoapXml.Node ours;
      try {
        ours = SoapXml.parse(bytes);
      } catch (UpnpException e) {
        assertTrue(e.getMessage().startsWith("not acceptable XML ("), e.getMessage());
        refused++;
        continue;
      }
      SoapXml.Node stax;
      try {
        stax = readByStax(bytes);
      } catch (XMLStreamException e) {
        throw new AssertionError("read what StAX refuses (" + e.getMessage() + "): " + xml, e);
      }
      assertSameTree(stax, ours, xml.toString());
      read++;
    }
    assertTrue(read > 300 && refused > 300, "read " + read + ", refused " + refused);
  }

  /** The tree of {@code bytes} as the JDK's StAX parser reads it, built without recursion. */
  private static SoapXml.Node readByStax(byte[] bytes) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(bytes));
    List<String> names = new ArrayList<>();
    List<StringBuilder> texts = new ArrayList<>();
    List<List<SoapXml.Node>> children = new ArrayList<>(List.of(new ArrayList<>()));
    while (reader.hasNext()) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> {
          names.add(reader.getLocalName());
          texts.add(new StringBuilder());
          children.add(new ArrayList<>());
        }
        case XMLStreamConstants.END_ELEMENT -> {
          int last = names.size() - 1;
          SoapXml.Node node = new SoapXml.Node(names.remove(last), texts.remove(last).toString(),
              children.remove(last + 1));
          children.get(last).add(node);
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          if (!texts.isEmpty()) texts.get(texts.size() - 1).append(reader.getText());
        }
        case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
            throw new XMLStreamException("DOCTYPE or entity reference");
        default -> { }
      }
    }
    return children.get(0).get(0);
  }

  private static void assertSameTree(SoapXml.Node expected, SoapXml.Node actual, String xml) {
    List<SoapXml.Node> expectedTodo = new ArrayList<>(List.of(expected));
    List<SoapXml.Node> actualTodo = new ArrayList<>(List.of(actual));
    while (!expectedTodo.isEmpty()) {
      SoapXml.Node e = expectedTodo.remove(expectedTodo.size() - 1);
      SoapXml.Node a = actualTodo.remove(actualTodo.size() - 1);
      assertEquals(e.name(), a.name(), xml);
      assertEquals(e.text(), a.text(), xml);
      assertEquals(e.children().size(), a.children().size(), xml);
      expectedTodo.addAll(e.children());
      actualTodo.addAll(a.children());
    }
  }
}
