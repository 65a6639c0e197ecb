package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.jdom2.Element;
import org.junit.jupiter.api.Test;

class XmlTest {
  private static Element parse(String xml) throws UpnpException {
    return Xml.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String refusal(String xml) {
    return assertThrows(UpnpException.class, () -> parse(xml)).getMessage();
  }

  @Test
  void predefinedEntitiesCharacterReferencesAndCdataAreText() throws Exception {
    Element root = parse("<r><a>x &amp; y &lt;&#65;&#x42;</a><b><![CDATA[<c>]]></b></r>");
    assertEquals("x & y <AB", Xml.childText(root, "a"));
    assertEquals("<c>", Xml.childText(root, "b"));
  }

  @Test
  void anUndeclaredEntityIsRefusedNotSkipped() {
    assertEquals("not acceptable XML (entity reference &x; is not allowed)",
        refusal("<r><a>before &x; after</a></r>"));
  }

  @Test
  void parseErrorsAreOneLineWithoutTheParsersPreamble() {
    assertEquals("not acceptable XML (Content is not allowed in prolog.)",
        refusal("this is not XML at all"));
    assertEquals("not acceptable XML (DOCTYPE is not allowed)",
        refusal("<?xml version=\"1.0\"?><!DOCTYPE r><r/>"));
  }
}
