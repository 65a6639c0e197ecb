package dev.p2pchat.upnp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.jdom2.Element;

/**
 * The part of an IGD's device description we use (like miniupnpc's igd_desc_parse): the root
 * device's friendly name and the best WAN connection service with its absolute control URL.
 *
 * @param friendlyName the root device's friendlyName, may be empty
 * @param serviceType e.g. {@code urn:schemas-upnp-org:service:WANIPConnection:2}
 * @param controlUrl absolute control URL of that service
 */
record DeviceDescription(String friendlyName, String serviceType, URI controlUrl) {
  static final String WAN_IP_2 = "urn:schemas-upnp-org:service:WANIPConnection:2";
  static final String WAN_IP_1 = "urn:schemas-upnp-org:service:WANIPConnection:1";
  static final String WAN_PPP_1 = "urn:schemas-upnp-org:service:WANPPPConnection:1";
  /** Services we can drive, best first. */
  private static final List<String> PREFERENCE = List.of(WAN_IP_2, WAN_IP_1, WAN_PPP_1);

  /**
   * Parses a description fetched from {@code location}.
   *
   * @throws UpnpException naming the router when the XML is unacceptable or has no WAN service
   */
  static DeviceDescription parse(byte[] xml, URI location) throws UpnpException {
    String router = Http.hostAndPort(location);
    Element root;
    try {
      root = Xml.parse(xml);
    } catch (UpnpException e) {
      throw new UpnpException("router at " + router + " sent an invalid description: "
          + e.getMessage(), e);
    }
    Element device = Xml.child(root, "device");
    if (!root.getName().equals("root") || device == null) {
      throw new UpnpException("router at " + router
          + " sent an invalid description: no <root><device> element");
    }
    List<Element> services = new ArrayList<>();
    collectServices(device, services, 0);
    Element best = null;
    int bestRank = PREFERENCE.size();
    for (Element service : services) {
      int rank = PREFERENCE.indexOf(Xml.childText(service, "serviceType"));
      if (rank >= 0 && rank < bestRank && !Xml.childText(service, "controlURL").isEmpty()) {
        best = service;
        bestRank = rank;
      }
    }
    if (best == null) {
      throw new UpnpException("router at " + router
          + " offers no WANIPConnection or WANPPPConnection service (is UPnP IGD enabled?)");
    }
    String urlBase = Xml.childText(root, "URLBase");
    URI base = urlBase.isEmpty() ? location : parseUri(urlBase, router);
    URI controlUrl = resolve(base, Xml.childText(best, "controlURL"), router);
    return new DeviceDescription(Xml.childText(device, "friendlyName"),
        PREFERENCE.get(bestRank), controlUrl);
  }

  /** Whether {@code serviceType} is one of the WAN connection services we can drive. */
  static boolean isDrivable(String serviceType) {
    return PREFERENCE.contains(serviceType);
  }

  /**
   * Whether the control URL is on the host of the description at {@code location}, so a
   * description can't point our SOAP requests elsewhere.
   */
  boolean controlUrlIsOn(URI location) {
    String controlHost = controlUrl.getHost();
    return controlHost != null && controlHost.equalsIgnoreCase(location.getHost());
  }

  private static void collectServices(Element device, List<Element> into, int depth) {
    if (depth > 8) return; // real IGDs nest three deep; anything deeper is hostile
    into.addAll(Xml.children(Xml.child(device, "serviceList"), "service"));
    for (Element child : Xml.children(Xml.child(device, "deviceList"), "device")) {
      collectServices(child, into, depth + 1);
    }
  }

  private static URI resolve(URI base, String reference, String router) throws UpnpException {
    URI ref = parseUri(reference, router);
    if (ref.isAbsolute()) return ref;
    if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
      base = base.resolve("/"); // URI.resolve would glue "ctl" onto "http://host:port" otherwise
    }
    return base.resolve(ref);
  }

  private static URI parseUri(String text, String router) throws UpnpException {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new UpnpException("router at " + router + " sent an invalid URL in its description: "
          + e.getMessage(), e);
    }
  }
}
