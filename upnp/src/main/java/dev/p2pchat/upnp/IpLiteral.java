package dev.p2pchat.upnp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The module's one reader of IP address literals (from routers, URLs and the command line); it
 * never asks DNS, as InetAddress.getByName would for a name.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /**
   * The address {@code text} spells, or null when it is not an IPv4 literal (four decimal
   * numbers up to 255) or an IPv6 one (bracketed or not, no scope id); spaces around are ignored.
   */
  public static InetAddress parse(String text) {
    if (text == null) return null;
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
      return t.indexOf(':') >= 0 ? parseIpv6(t) : null;
    }
    if (t.indexOf(':') >= 0) return parseIpv6(t);
    String[] parts = t.split("\\.", -1);
    if (parts.length != 4) return null;
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) return null;
      int value = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') return null;
        value = value * 10 + (c - '0');
      }
      if (value > 255) return null;
      bytes[i] = (byte) value;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong array length
    }
  }

  private static InetAddress parseIpv6(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = Character.toLowerCase(t.charAt(i));
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.';
      if (!ok) return null; // also refuses scope ids, which could name interfaces
    }
    try {
      return InetAddress.getByName(t); // a string with ':' is parsed as a literal, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
