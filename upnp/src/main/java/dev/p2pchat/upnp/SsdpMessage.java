package dev.p2pchat.upnp;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An SSDP datagram: an M-SEARCH answer ({@code HTTP/1.1 200 OK}) or a {@code NOTIFY}. Parsing is
 * tolerant, as real devices are sloppy: any header case, HTTP/1.0, spaces around the colon, LF or
 * CRLF line ends, no final blank line.
 *
 * @param startLine the first line, e.g. {@code HTTP/1.1 200 OK} or {@code NOTIFY * HTTP/1.1}
 * @param headers header values by lowercase name
 */
record SsdpMessage(String startLine, Map<String, String> headers) {
  private static final int MAX_HEADERS = 64;

  /** Parses a datagram; null when it is not an HTTP-like message at all. */
  static SsdpMessage parse(byte[] data, int offset, int length) {
    String text = new String(data, offset, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n|\r", MAX_HEADERS + 2);
    String startLine = lines[0].trim();
    if (!startLine.toUpperCase(Locale.ROOT).contains("HTTP/")) return null;
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length && i <= MAX_HEADERS; i++) {
      String line = lines[i];
      if (line.isBlank()) break;
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new SsdpMessage(startLine, Map.copyOf(headers));
  }

  /** The value of header {@code name} (any case), or "" when absent. */
  String header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
  }

  /** True for a successful M-SEARCH answer. */
  boolean isSearchResponse() {
    String[] parts = startLine.split("\\s+");
    return parts.length >= 2 && parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/")
        && parts[1].equals("200");
  }

  /** True for {@code NOTIFY * HTTP/1.1}. */
  boolean isNotify() {
    return startLine.toUpperCase(Locale.ROOT).startsWith("NOTIFY ");
  }

  /** True for a NOTIFY with {@code NTS: ssdp:alive}. */
  boolean isAlive() {
    return isNotify() && header("NTS").equalsIgnoreCase("ssdp:alive");
  }

  String location() {
    return header("LOCATION");
  }

  /** {@code BOOTID.UPNP.ORG}, which a device increases when it reboots; -1 when absent. */
  long bootId() {
    try {
      long id = Long.parseLong(header("BOOTID.UPNP.ORG"));
      return id >= 0 ? id : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
