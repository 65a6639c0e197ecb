package dev.p2pchat.protocol;

import java.util.Optional;

/**
 * A peer address: a host (IPv4 literal, IPv6 literal or DNS name) and a TCP port 1-65535. Its
 * text form is {@code 203.0.113.7:4000}, {@code [2001:db8::1]:4000} or {@code example.org:4000}.
 * Parsing never looks anything up.
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null) {
      throw new IllegalArgumentException("host is missing");
    }
    if (!isIpv6(host)) {
      hostProblem(host).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, got " + port);
    }
  }

  /** Parses {@code host:port} or {@code [ipv6]:port}, else throws IllegalArgumentException. */
  public static HostPort parse(String address) {
    if (address == null) {
      throw new IllegalArgumentException("address is missing");
    }
    if (address.length() > Limits.MAX_ADDRESS_LENGTH) {
      throw new IllegalArgumentException("address is longer than " + Limits.MAX_ADDRESS_LENGTH
          + " characters");
    }
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("address " + Check.quote(address)
          + " has no port (expected host:port)");
    }
    String host = address.substring(0, colon);
    String portText = address.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (!isIpv6(host)) {
        throw new IllegalArgumentException("address " + Check.quote(address)
            + " has an invalid IPv6 literal");
      }
    } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
      throw new IllegalArgumentException("address " + Check.quote(address)
          + " is not host:port (write IPv6 addresses as [v6]:port)");
    } else {
      Optional<String> problem = hostProblem(host);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("address " + Check.quote(address) + ": "
            + problem.get());
      }
    }
    return new HostPort(host, port(address, portText));
  }

  /** Returns empty if {@code address} parses, else a human sentence saying why not. */
  public static Optional<String> problem(String address) {
    try {
      parse(address);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The text form, {@code host:port} or {@code [ipv6]:port}. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static int port(String address, String text) {
    if (text.isEmpty() || text.length() > 5 || !allDigits(text) || text.charAt(0) == '0') {
      throw new IllegalArgumentException("address " + Check.quote(address)
          + " has no valid port (expected 1-65535)");
    }
    int port = Integer.parseInt(text);
    if (port > 65535) {
      throw new IllegalArgumentException("address " + Check.quote(address)
          + " has port " + port + ", above 65535");
    }
    return port;
  }

  private static Optional<String> hostProblem(String host) {
    if (host.isEmpty()) {
      return Optional.of("host is empty");
    }
    if (host.length() > 253) {
      return Optional.of("host name is longer than 253 characters");
    }
    String[] labels = host.split("\\.", -1);
    if (allDigits(labels[labels.length - 1])) {
      return isIpv4(host) ? Optional.empty() : Optional.of("host " + Check.quote(host)
          + " is not a valid IPv4 address");
    }
    for (String label : labels) {
      if (!isDnsLabel(label)) {
        return Optional.of("host " + Check.quote(host) + " is not a valid host name");
      }
    }
    return Optional.empty();
  }

  private static boolean isDnsLabel(String label) {
    if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      boolean leadingZero = part.length() > 1 && part.charAt(0) == '0';
      if (part.isEmpty() || part.length() > 3 || !allDigits(part) || leadingZero
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** RFC 4291 text form without a zone: eight hex groups, one "::" gap, optional IPv4 tail. */
  static boolean isIpv6(String s) {
    int gap = s.indexOf("::");
    if (gap < 0) {
      return groups(s, true) == 8;
    }
    if (s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    int head = groups(s.substring(0, gap), false);
    int tail = groups(s.substring(gap + 2), true);
    return head >= 0 && tail >= 0 && head + tail <= 7;
  }

  /** Number of 16-bit groups in a colon-separated run, or -1 if malformed. */
  private static int groups(String run, boolean ipv4Tail) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] parts = run.split(":", -1);
    int groups = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (ipv4Tail && i == parts.length - 1 && part.indexOf('.') >= 0) {
        if (!isIpv4(part)) {
          return -1;
        }
        groups += 2;
      } else if (part.isEmpty() || part.length() > 4 || !allHex(part)) {
        return -1;
      } else {
        groups++;
      }
    }
    return groups;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static boolean allHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }
}
