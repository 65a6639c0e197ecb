package dev.p2pchat.upnp;

import java.util.Map;

/**
 * Reads port-mapping entries out of {@code GetGenericPortMappingEntry} and
 * {@code GetSpecificPortMappingEntry} replies (like miniupnpc's portlistingparse).
 */
final class PortListing {
  private PortListing() {}

  /** An entry from a {@code GetGenericPortMappingEntry} reply, which names the mapping itself. */
  static PortMappingEntry fromGeneric(Map<String, String> reply, String router)
      throws UpnpException {
    int externalPort = port(reply, "NewExternalPort", router);
    Protocol protocol;
    try {
      protocol = Protocol.parse(reply.get("NewProtocol"));
    } catch (UpnpException e) {
      throw new UpnpException("router at " + router + " listed a mapping with "
          + e.getMessage(), e);
    }
    return fromSpecific(reply, externalPort, protocol, router)
        .withRemoteHost(reply.getOrDefault("NewRemoteHost", "").trim());
  }

  /** An entry from a {@code GetSpecificPortMappingEntry} reply for the given key. */
  static PortMappingEntry fromSpecific(Map<String, String> reply, int externalPort,
      Protocol protocol, String router) throws UpnpException {
    String enabled = reply.getOrDefault("NewEnabled", "1").trim();
    return new PortMappingEntry("", externalPort, protocol,
        port(reply, "NewInternalPort", router),
        reply.getOrDefault("NewInternalClient", "").trim(),
        enabled.equals("1") || enabled.equalsIgnoreCase("true") || enabled.equalsIgnoreCase("yes"),
        reply.getOrDefault("NewPortMappingDescription", ""),
        leaseSeconds(reply, router));
  }

  private static int leaseSeconds(Map<String, String> reply, String router)
      throws UpnpException {
    if (reply.getOrDefault("NewLeaseDuration", "").isBlank()) return 0; // some routers omit it
    long seconds = number(reply, "NewLeaseDuration", 0, 0xffffffffL, router); // ui4
    return (int) Math.min(Integer.MAX_VALUE, seconds);
  }

  private static int port(Map<String, String> reply, String name, String router)
      throws UpnpException {
    return (int) number(reply, name, 0, 65535, router);
  }

  private static long number(Map<String, String> reply, String name, long min, long max,
      String router) throws UpnpException {
    String text = reply.getOrDefault(name, "").trim();
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UpnpException("router at " + router + " sent an invalid " + name + ": \""
        + text + "\"");
  }
}
