package dev.p2pchat.upnp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The little XML a SOAP exchange needs, by hand (like miniupnpc's minixml): escaping arguments,
 * and reading a reply into a small tree. A fresh JVM reads a reply this way in a fraction of the
 * time the JDK's XML stack takes to start, and a command that only sends actions never loads
 * that stack (descriptions are still parsed by {@link Xml}).
 *
 * <p>The reader is strict: the document must be well-formed XML 1.0 with namespaces (prefixes
 * declared, tags matched, attributes unique), in UTF-8, ISO-8859-1 or US-ASCII. Only the five
 * predefined entities and character references are expanded; a DOCTYPE or any other entity
 * reference is refused, so there is nothing to expand or fetch. Elements may nest at most
 * {@value #MAX_DEPTH} deep, and the reader never recurses, so no reply can exhaust the stack.
 * Anything else is an {@link UpnpException} saying what is wrong, never a partial result.
 */
final class SoapXml {
  static final int MAX_DEPTH = 64;
  /** Attributes on one element: an envelope has two or three, and so the prefixes stay few. */
  static final int MAX_ATTRIBUTES = 16;
  /** The longest reference looked for: more than any predefined entity or character needs. */
  private static final int MAX_REFERENCE = 32;

  /**
   * An element: its local name (prefix dropped, as routers use any prefix or none), the text
   * directly inside it (child elements' text left out, entities and CDATA resolved, untrimmed)
   * and its child elements in order. Attributes are checked but not kept: SOAP replies carry
   * none that matter.
   */
  record Node(String name, String text, List<Node> children) {
    /** The first child named {@code localName}, or null. */
    Node child(String localName) {
      for (Node child : children) {
        if (child.name.equals(localName)) return child;
      }
      return null;
    }
  }

  private final String in;
  private int pos;
  /** The namespace prefixes declared by the open elements, innermost last. */
  private final List<String> prefixes = new ArrayList<>();

  private SoapXml(String in) {
    this.in = in;
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

  /** Reads {@code bytes} as an XML document and returns its root element. */
  static Node parse(byte[] bytes) throws UpnpException {
    int start = 0;
    boolean bom = false;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
      bom = true;
    } else if (bytes.length >= 2 && (bytes[0] == 0 || bytes[1] == 0
        || (bytes[0] & 0xfe) == 0xfe && (bytes[1] & 0xfe) == 0xfe)) {
      throw refusal("UTF-16 and UTF-32 are not supported");
    }
    Charset charset = charset(bytes, start);
    if (bom && charset != StandardCharsets.UTF_8) {
      throw refusal("a UTF-8 byte order mark on a document declared " + charset.name());
    }
    String text;
    try {
      text = charset.newDecoder() // reports malformed input rather than replacing it
          .decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
    } catch (CharacterCodingException e) {
      throw refusal("not " + charset.name() + " text");
    }
    return new SoapXml(normalized(text)).document();
  }

  /** The encoding the XML declaration at {@code start} names; UTF-8 when there is none. */
  private static Charset charset(byte[] bytes, int start) throws UpnpException {
    if (!startsWithDeclaration(bytes, start)) return StandardCharsets.UTF_8;
    int end = start;
    while (end + 1 < bytes.length && !(bytes[end] == '?' && bytes[end + 1] == '>')) end++;
    // the declaration is ASCII in every encoding accepted, so any byte stands for itself here
    String declaration = new String(bytes, start, Math.min(end + 2, bytes.length) - start,
        StandardCharsets.ISO_8859_1);
    String name = new SoapXml(declaration).declaration();
    if (name == null || name.equalsIgnoreCase("UTF-8")) return StandardCharsets.UTF_8;
    if (name.equalsIgnoreCase("ISO-8859-1")) return StandardCharsets.ISO_8859_1;
    if (name.equalsIgnoreCase("US-ASCII")) return StandardCharsets.US_ASCII;
    throw refusal("encoding " + name + " is not supported");
  }

  private static boolean startsWithDeclaration(byte[] bytes, int start) {
    String open = "<?xml";
    if (bytes.length < start + open.length() + 1) return false;
    for (int i = 0; i < open.length(); i++) {
      if (bytes[start + i] != open.charAt(i)) return false;
    }
    return isSpace((char) bytes[start + open.length()]);
  }

  /**
   * {@code text} with line ends as XML reads them (CR LF and lone CR become LF), after checking
   * that every character may appear in XML 1.0.
   */
  private static String normalized(String text) throws UpnpException {
    boolean cr = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c == 0xfffe || c == 0xffff) {
        throw refusal("character U+" + Integer.toHexString(0x10000 | c).substring(1).toUpperCase()
            + " is not allowed in XML");
      }
      cr |= c == '\r';
    }
    return cr ? text.replace("\r\n", "\n").replace('\r', '\n') : text;
  }

  private Node document() throws UpnpException {
    if (in.startsWith("<?xml") && in.length() > 5 && isSpace(in.charAt(5))) declaration();
    misc();
    if (pos == in.length() || in.charAt(pos) != '<') {
      throw refusal(pos == in.length() ? "no root element" : "text before the root element");
    }
    Node root = element();
    misc();
    if (pos < in.length()) throw refusal("content after the root element");
    return root;
  }

  /**
   * Reads the XML declaration at the start and returns the encoding it names, or null; only
   * version 1.0 is accepted.
   */
  private String declaration() throws UpnpException {
    pos = "<?xml".length();
    String version = pseudoAttribute("version", true);
    if (!version.equals("1.0")) throw refusal("XML version " + version + " is not supported");
    String encoding = pseudoAttribute("encoding", false);
    if (encoding != null && !isEncodingName(encoding)) {
      throw refusal("bad encoding name in the XML declaration");
    }
    String standalone = pseudoAttribute("standalone", false);
    if (standalone != null && !standalone.equals("yes") && !standalone.equals("no")) {
      throw refusal("standalone must be yes or no");
    }
    spaces();
    expect("?>", "the XML declaration");
    return encoding;
  }

  /** {@code name="value"} after whitespace in the XML declaration, or null when optional and absent. */
  private String pseudoAttribute(String name, boolean required) throws UpnpException {
    int before = pos;
    if (spaces() && in.startsWith(name, pos)) {
      pos += name.length();
      spaces();
      expect("=", "the XML declaration");
      spaces();
      char quote = pos < in.length() ? in.charAt(pos) : 0;
      int end = quote == '"' || quote == '\'' ? in.indexOf(quote, pos + 1) : -1;
      if (end < 0) throw refusal("bad " + name + " in the XML declaration");
      String value = in.substring(pos + 1, end);
      pos = end + 1;
      return value;
    }
    if (required) throw refusal("the XML declaration has no " + name);
    pos = before;
    return null;
  }

  private static boolean isEncodingName(String name) {
    if (name.isEmpty() || !isAsciiLetter(name.charAt(0))) return false;
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** Whitespace, comments and processing instructions before or after the root element. */
  private void misc() throws UpnpException {
    while (true) {
      spaces();
      if (in.startsWith("<!--", pos)) {
        comment();
      } else if (in.startsWith("<?", pos)) {
        processingInstruction();
      } else if (in.startsWith("<!", pos)) {
        throw declarationRefusal();
      } else {
        return;
      }
    }
  }

  /**
   * Reads the element at {@code pos} with all it contains. Iterative, with the open elements on
   * a list of at most {@value #MAX_DEPTH}.
   */
  private Node element() throws UpnpException {
    List<Open> open = new ArrayList<>();
    Open root = startTag();
    if (root.empty) return root.close(prefixes);
    open.add(root);
    while (true) {
      Open top = open.get(open.size() - 1);
      if (pos == in.length()) throw refusal("the document ends inside <" + top.qName + ">");
      char c = in.charAt(pos);
      if (c == '&') {
        top.text().append(reference());
        continue;
      }
      if (c != '<') {
        int end = pos;
        while (end < in.length() && in.charAt(end) != '<' && in.charAt(end) != '&') end++;
        String run = in.substring(pos, end);
        if (run.contains("]]>")) throw refusal("']]>' in text");
        top.text().append(run);
        pos = end;
        continue;
      }
      Node closed = null;
      if (in.startsWith("</", pos)) {
        closed = endTag(top);
        open.remove(open.size() - 1);
      } else if (in.startsWith("<!--", pos)) {
        comment();
      } else if (in.startsWith("<![CDATA[", pos)) {
        int end = in.indexOf("]]>", pos);
        if (end < 0) throw refusal("the document ends inside a CDATA section");
        top.text().append(in, pos + "<![CDATA[".length(), end);
        pos = end + "]]>".length();
      } else if (in.startsWith("<!", pos)) {
        throw declarationRefusal();
      } else if (in.startsWith("<?", pos)) {
        processingInstruction();
      } else {
        if (open.size() == MAX_DEPTH) {
          throw refusal("elements nested more than " + MAX_DEPTH + " deep");
        }
        Open started = startTag();
        if (started.empty) {
          closed = started.close(prefixes);
        } else {
          open.add(started);
        }
      }
      if (closed != null) {
        if (open.isEmpty()) return closed;
        open.get(open.size() - 1).children.add(closed);
      }
    }
  }

  /** An element being read. */
  private static final class Open {
    final String qName;
    final String localName;
    final int prefixesBefore;
    final boolean empty;
    final List<Node> children = new ArrayList<>();
    private StringBuilder text;

    Open(String qName, int prefixesBefore, boolean empty) {
      this.qName = qName;
      this.localName = qName.substring(qName.indexOf(':') + 1);
      this.prefixesBefore = prefixesBefore;
      this.empty = empty;
    }

    StringBuilder text() {
      if (text == null) text = new StringBuilder();
      return text;
    }

    /** The element read, forgetting the prefixes it declared. */
    Node close(List<String> prefixes) {
      prefixes.subList(prefixesBefore, prefixes.size()).clear();
      return new Node(localName, text == null ? "" : text.toString(), List.copyOf(children));
    }
  }

  /** Reads a start tag or an empty-element tag and declares the prefixes it binds. */
  private Open startTag() throws UpnpException {
    pos++;
    String qName = name("an element");
    Set<String> attributes = new HashSet<>();
    int prefixesBefore = prefixes.size();
    while (true) {
      boolean spaced = spaces();
      if (in.startsWith(">", pos) || in.startsWith("/>", pos)) break;
      if (pos == in.length()) throw refusal("the document ends inside <" + qName + ">");
      if (!spaced) throw refusal("bad character in <" + qName + ">");
      String attribute = name("an attribute of <" + qName + ">");
      if (!attributes.add(attribute)) {
        throw refusal("attribute " + attribute + " twice in <" + qName + ">");
      }
      if (attributes.size() > MAX_ATTRIBUTES) {
        throw refusal("more than " + MAX_ATTRIBUTES + " attributes in <" + qName + ">");
      }
      spaces();
      expect("=", "attribute " + attribute);
      spaces();
      String value = attributeValue(attribute);
      if (attribute.startsWith("xmlns:")) {
        String prefix = attribute.substring("xmlns:".length());
        if (value.isEmpty() || prefix.equals("xmlns") || prefix.equals("xml")) {
          throw refusal("bad namespace declaration " + attribute);
        }
        prefixes.add(prefix);
      }
    }
    boolean empty = in.charAt(pos) == '/';
    pos += empty ? 2 : 1;
    checkPrefix(qName);
    for (String attribute : attributes) {
      if (!attribute.startsWith("xmlns:")) checkPrefix(attribute);
    }
    return new Open(qName, prefixesBefore, empty);
  }

  private void checkPrefix(String name) throws UpnpException {
    int colon = name.indexOf(':');
    if (colon < 0) return;
    String prefix = name.substring(0, colon);
    if (prefix.equals("xml")) return; // always bound: xml:lang and the like
    if (!prefixes.contains(prefix)) {
      throw refusal("namespace prefix " + prefix + " of " + name + " is not declared");
    }
  }

  /** A quoted attribute value, checked and with its references expanded. */
  private String attributeValue(String attribute) throws UpnpException {
    char quote = pos < in.length() ? in.charAt(pos) : 0;
    if (quote != '"' && quote != '\'') throw refusal("attribute " + attribute + " is not quoted");
    pos++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos == in.length()) throw refusal("the document ends inside attribute " + attribute);
      char c = in.charAt(pos);
      if (c == quote) {
        pos++;
        return value.toString();
      } else if (c == '&') {
        value.append(reference());
      } else if (c == '<') {
        throw refusal("'<' in attribute " + attribute);
      } else {
        value.append(c);
        pos++;
      }
    }
  }

  /** Reads the end tag at {@code pos}, which must close {@code open}, and returns its element. */
  private Node endTag(Open open) throws UpnpException {
    pos += 2;
    String qName = name("an end tag");
    spaces();
    expect(">", "</" + qName);
    if (!qName.equals(open.qName)) {
      throw refusal("</" + qName + "> does not close <" + open.qName + ">");
    }
    return open.close(prefixes);
  }

  /** Expands the reference at {@code pos}: a predefined entity or a character reference. */
  private String reference() throws UpnpException {
    int end = pos + 1;
    while (end < in.length() && end - pos < MAX_REFERENCE && in.charAt(end) != ';') end++;
    if (end == in.length() || in.charAt(end) != ';') throw refusal("'&' not starting a reference");
    String name = in.substring(pos + 1, end);
    pos = end + 1;
    switch (name) {
      case "lt" -> {
        return "<";
      }
      case "gt" -> {
        return ">";
      }
      case "amp" -> {
        return "&";
      }
      case "quot" -> {
        return "\"";
      }
      case "apos" -> {
        return "'";
      }
      default -> { }
    }
    if (name.startsWith("#")) return Character.toString(characterReference(name));
    if (!isName(name)) throw refusal("'&' not starting a reference");
    throw refusal("entity reference &" + name + "; is not allowed");
  }

  /** The character {@code &name;} stands for, {@code name} being {@code #123} or {@code #x7b}. */
  private static int characterReference(String name) throws UpnpException {
    boolean hex = name.startsWith("#x");
    String digits = name.substring(hex ? 2 : 1);
    int c = 0;
    for (int i = 0; i < digits.length() && c <= 0x10ffff; i++) {
      int digit = Character.digit(digits.charAt(i), hex ? 16 : 10);
      if (digit < 0 || digits.charAt(i) > 'f') c = Integer.MAX_VALUE; // only ASCII digits
      else c = c * (hex ? 16 : 10) + digit;
    }
    boolean allowed = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xd7ff
        || c >= 0xe000 && c <= 0xfffd || c >= 0x10000 && c <= 0x10ffff;
    if (digits.isEmpty() || !allowed) throw refusal("bad character reference &" + name + ";");
    return c;
  }

  private void comment() throws UpnpException {
    int end = in.indexOf("--", pos + "<!--".length());
    if (end < 0) throw refusal("the document ends inside a comment");
    if (!in.startsWith("-->", end)) throw refusal("'--' inside a comment");
    pos = end + "-->".length();
  }

  private void processingInstruction() throws UpnpException {
    pos += 2;
    String target = name("a processing instruction");
    if (target.equalsIgnoreCase("xml")) throw refusal("an XML declaration not at the start");
    if (target.indexOf(':') >= 0) throw refusal("':' in processing instruction " + target);
    int end = in.indexOf("?>", pos);
    if (end < 0) throw refusal("the document ends inside processing instruction " + target);
    if (end > pos && !isSpace(in.charAt(pos))) {
      throw refusal("bad character in processing instruction " + target);
    }
    pos = end + 2;
  }

  private UpnpException declarationRefusal() {
    return refusal(in.startsWith("<!DOCTYPE", pos) ? "DOCTYPE is not allowed"
        : "markup declarations are not allowed");
  }

  /**
   * A name at {@code pos}, with at most one colon, between a prefix and a local name (XML 1.0
   * fifth edition's name characters).
   */
  private String name(String what) throws UpnpException {
    int start = pos;
    while (pos < in.length() && isNameChar(in.charAt(pos))) pos++;
    String name = in.substring(start, pos);
    if (!isName(name)) throw refusal("bad name for " + what);
    return name;
  }

  private static boolean isName(String name) {
    int colon = name.indexOf(':');
    if (name.isEmpty() || colon == 0 || colon == name.length() - 1
        || colon >= 0 && name.indexOf(':', colon + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean first = i == 0 || i == colon + 1;
      if (!isNameChar(c) || first && (c == '-' || c == '.' || c >= '0' && c <= '9' || c == 0xb7
          || c >= 0x300 && c <= 0x36f || c == 0x203f || c == 0x2040)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    if (c < 0x80) {
      return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '-'
          || c == '.';
    }
    return c == 0xb7 || c >= 0xc0 && c <= 0x37d && c != 0xd7 && c != 0xf7 || c >= 0x37f && c <= 0x1fff
        || c == 0x200c || c == 0x200d || c == 0x203f || c == 0x2040 || c >= 0x2070 && c <= 0x218f
        || c >= 0x2c00 && c <= 0x2fef || c >= 0x3001 && c <= 0xdfff // with surrogates: #x10000-#xEFFFF
        || c >= 0xf900 && c <= 0xfdcf || c >= 0xfdf0 && c <= 0xfffd;
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /** Skips whitespace; whether there was any. */
  private boolean spaces() {
    int start = pos;
    while (pos < in.length() && isSpace(in.charAt(pos))) pos++;
    return pos > start;
  }

  private void expect(String text, String where) throws UpnpException {
    if (!in.startsWith(text, pos)) throw refusal("'" + text + "' missing after " + where);
    pos += text.length();
  }

  private static UpnpException refusal(String reason) {
    return new UpnpException("not acceptable XML (" + reason + ")");
  }
}
