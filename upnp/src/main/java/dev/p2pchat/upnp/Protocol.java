package dev.p2pchat.upnp;

/** The transport protocol of a port mapping, spelled as UPnP spells it in {@code NewProtocol}. */
public enum Protocol {
  /** TCP. */
  TCP,
  /** UDP. */
  UDP;

  /** Parses {@code NewProtocol} case-insensitively, as some routers answer "tcp". */
  static Protocol parse(String text) throws UpnpException {
    String t = text == null ? "" : text.trim();
    for (Protocol p : values()) {
      if (p.name().equalsIgnoreCase(t)) return p;
    }
    throw new UpnpException("unknown protocol \"" + t + "\" (expected TCP or UDP)");
  }
}
