package dev.p2pchat.upnp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.JDOMException;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.XMLReaders;
import org.xml.sax.SAXException;

/**
 * Parses XML from routers without trusting it: DOCTYPE declarations are refused outright, so there
 * are no external entities (XXE), no entity-expansion bombs and nothing is ever fetched. Elements
 * are matched by local name because routers use any namespace prefix, or none.
 */
final class Xml {
  /**
   * Idle builders. Setting one up costs about a millisecond and it is not safe for concurrent use,
   * so each parse borrows one (discovery parses on short-lived threads, so ThreadLocal won't do).
   */
  private static final Queue<SAXBuilder> IDLE_BUILDERS = new ConcurrentLinkedQueue<>();
  private static final int MAX_IDLE_BUILDERS = 8;

  private Xml() {}

  private static SAXBuilder hardenedBuilder() {
    SAXBuilder builder = new SAXBuilder(XMLReaders.NONVALIDATING);
    builder.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    builder.setFeature("http://xml.org/sax/features/external-general-entities", false);
    builder.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    builder.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    builder.setExpandEntities(false);
    builder.setEntityResolver((publicId, systemId) -> {
      throw new SAXException("refusing to load external entity " + systemId);
    });
    return builder;
  }

  /** Parses {@code bytes}; the exception message says what is wrong, without context. */
  static Element parse(byte[] bytes) throws UpnpException {
    SAXBuilder builder = IDLE_BUILDERS.poll();
    if (builder == null) builder = hardenedBuilder();
    try {
      Document document = builder.build(new ByteArrayInputStream(bytes));
      if (IDLE_BUILDERS.size() < MAX_IDLE_BUILDERS) IDLE_BUILDERS.add(builder);
      return document.getRootElement();
    } catch (JDOMException | IOException | RuntimeException e) {
      String why = e.getCause() != null && e.getCause().getMessage() != null
          ? e.getCause().getMessage()
          : String.valueOf(e.getMessage());
      throw new UpnpException("not acceptable XML (" + why + ")", e);
    }
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

  /** The first element named {@code localName} at or below {@code root}, depth first, or null. */
  static Element find(Element root, String localName) {
    if (root == null) return null;
    if (root.getName().equals(localName)) return root;
    for (Element e : root.getChildren()) {
      Element found = find(e, localName);
      if (found != null) return found;
    }
    return null;
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
