package dev.p2pchat.upnp;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.input.StAXStreamBuilder;

/**
 * Parses what routers send — device descriptions and SOAP replies — without trusting it: DOCTYPE
 * declarations and entity references are refused outright, so there are no external entities
 * (XXE), no entity-expansion bombs and nothing is ever fetched; elements nest at most
 * {@value #MAX_DEPTH} deep. Elements are matched by local name because routers use any namespace
 * prefix, or none. Sizes are capped before this, by {@link Http}.
 */
final class Xml {
  /** Deeper than any description or SOAP reply nests (about ten), shallow enough to be harmless. */
  static final int MAX_DEPTH = 64;

  /**
   * The JDK's own StAX parser, not whichever one the class path offers, so the settings below
   * are known to hold. DTDs are not processed at all; the filter below refuses any DOCTYPE
   * before the document is built.
   */
  private static final XMLInputFactory FACTORY = hardenedFactory();

  private Xml() {}

  private static XMLInputFactory hardenedFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", MAX_DEPTH);
    factory.setXMLResolver((publicId, systemId, base, namespace) -> {
      throw new XMLStreamException("refusing to load external entity " + systemId);
    });
    return factory;
  }

  /** Parses {@code bytes}; the exception message says what is wrong, without context. */
  static Element parse(byte[] bytes) throws UpnpException {
    try {
      XMLStreamReader reader;
      synchronized (FACTORY) { // a factory is not promised to be thread-safe
        reader = FACTORY.createFilteredReader(
            FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes)),
            Xml::refuseDtdAndEntities); // throws unchecked exceptions, caught below
      }
      try {
        return new StAXStreamBuilder().build(reader).getRootElement();
      } finally {
        reader.close();
      }
    } catch (JDOMException | XMLStreamException | RuntimeException e) {
      throw refusal(e);
    }
  }

  /** What a parser threw, as one line saying what is wrong, without context. */
  private static UpnpException refusal(Exception e) {
    Throwable cause = e.getCause() instanceof XMLStreamException ? e.getCause() : e;
    return new UpnpException("not acceptable XML (" + reason(cause) + ")", e);
  }

  /** Refuses what a description never needs: a DTD, or a reference to an entity. */
  private static boolean refuseDtdAndEntities(XMLStreamReader reader) {
    switch (reader.getEventType()) {
      case XMLStreamConstants.DTD -> throw new IllegalArgumentException("DOCTYPE is not allowed");
      case XMLStreamConstants.ENTITY_REFERENCE -> throw new IllegalArgumentException(
          "entity reference &" + reader.getLocalName() + "; is not allowed");
      default -> {
        return true;
      }
    }
  }

  /** The parser's complaint on one line, without its "ParseError at [row,col]" preamble. */
  private static String reason(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int at = message.indexOf("Message: ");
    return (at >= 0 ? message.substring(at + "Message: ".length()) : message).replace('\n', ' ');
  }

  /** Escapes text for an XML element's content or attribute value. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c); // not XML 1.0
      }
    }
    return out.toString();
  }

  /** The first child named {@code localName} in any namespace, or null. */
  static Element child(Element parent, String localName) {
    if (parent == null) return null;
    for (Element e : parent.getChildren()) {
      if (e.getName().equals(localName)) return e;
    }
    return null;
  }

  /** All children named {@code localName} in any namespace. */
  static List<Element> children(Element parent, String localName) {
    List<Element> result = new ArrayList<>();
    if (parent == null) return result;
    for (Element e : parent.getChildren()) {
      if (e.getName().equals(localName)) result.add(e);
    }
    return result;
  }

  /** The trimmed text of the first child named {@code localName}, or "" when absent. */
  static String childText(Element parent, String localName) {
    Element e = child(parent, localName);
    return e == null ? "" : e.getTextTrim();
  }
}
