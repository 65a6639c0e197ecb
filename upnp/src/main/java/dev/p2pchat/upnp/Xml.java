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
 * Parses XML from routers without trusting it: DOCTYPE declarations and entity references are
 * refused outright, so there are no external entities (XXE), no entity-expansion bombs and
 * nothing is ever fetched. Elements are matched by local name because routers use any namespace
 * prefix, or none. Descriptions are parsed into a jdom2 tree ({@link #parse}); SOAP replies,
 * which are small and read once, are read as a stream ({@link #reader}), so a start that only
 * sends control actions never loads jdom2.
 */
final class Xml {
  /**
   * The JDK's own StAX parser, not looked up: a fresh JVM sets it up in about 15 ms less CPU
   * than jdom2's SAXBuilder over JAXP. DTDs are not processed at all; the filter below refuses
   * any DOCTYPE before the document is built.
   */
  private static final XMLInputFactory FACTORY = hardenedFactory();

  private Xml() {}

  private static XMLInputFactory hardenedFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setXMLResolver((publicId, systemId, base, namespace) -> {
      throw new XMLStreamException("refusing to load external entity " + systemId);
    });
    return factory;
  }

  /** Parses {@code bytes}; the exception message says what is wrong, without context. */
  static Element parse(byte[] bytes) throws UpnpException {
    try {
      XMLStreamReader reader = reader(bytes);
      try {
        return new StAXStreamBuilder().build(reader).getRootElement();
      } finally {
        reader.close();
      }
    } catch (JDOMException | XMLStreamException | RuntimeException e) {
      throw refusal(e);
    }
  }

  /**
   * A pull parser over {@code bytes} that refuses DTDs and entity references (by throwing an
   * unchecked exception: pass whatever it throws to {@link #refusal}).
   */
  static XMLStreamReader reader(byte[] bytes) throws XMLStreamException {
    synchronized (FACTORY) { // a factory is not promised to be thread-safe
      return FACTORY.createFilteredReader(
          FACTORY.createXMLStreamReader(new ByteArrayInputStream(bytes)),
          Xml::refuseDtdAndEntities);
    }
  }

  /** What a parser threw, as one line saying what is wrong, without context. */
  static UpnpException refusal(Exception e) {
    Throwable cause = e.getCause() instanceof XMLStreamException ? e.getCause() : e;
    return new UpnpException("not acceptable XML (" + reason(cause) + ")", e);
  }

  /**
   * Moves {@code reader}, inside an element, to that element's next child element and returns
   * true; or to the element's end and returns false.
   */
  static boolean nextChild(XMLStreamReader reader) throws XMLStreamException {
    while (true) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> {
          return true;
        }
        case XMLStreamConstants.END_ELEMENT -> {
          return false;
        }
        default -> { } // text, comments and processing instructions between elements
      }
    }
  }

  /**
   * The text directly inside the element {@code reader} is at the start of, as jdom2's
   * {@code getText} gives it (child elements' text left out); leaves {@code reader} at the
   * element's end.
   */
  static String text(XMLStreamReader reader) throws XMLStreamException {
    StringBuilder text = new StringBuilder();
    for (int depth = 1; depth > 0; ) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> depth++;
        case XMLStreamConstants.END_ELEMENT -> depth--;
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
          if (depth == 1) text.append(reader.getText());
        }
        default -> { }
      }
    }
    return text.toString();
  }

  /** Moves {@code reader} from the start of an element to its end, over all it contains. */
  static void skip(XMLStreamReader reader) throws XMLStreamException {
    for (int depth = 1; depth > 0; ) {
      switch (reader.next()) {
        case XMLStreamConstants.START_ELEMENT -> depth++;
        case XMLStreamConstants.END_ELEMENT -> depth--;
        default -> { }
      }
    }
  }

  /** Refuses what a description or SOAP reply never needs: a DTD, or a reference to an entity. */
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
}
