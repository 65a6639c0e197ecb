package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Internet Gateway Device's WAN connection service, ready for control actions. Obtain one from
 * {@link GatewayFinder#find()} or {@link GatewayFinder#atLocation}. Immutable and thread-safe;
 * every action is one HTTP exchange bounded by the gateway's timeout.
 */
public final class Gateway {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** Stop listing after this many entries, whatever the router says. */
  static final int MAX_LISTED_MAPPINGS = 1024;

  private final URI location;
  private final DeviceDescription description;
  private final InetAddress localAddress;
  private final Duration timeout;
  /** Where the SSDP search that found us went; null when given by location. */
  private final InetSocketAddress foundVia;
  /** What the router answered when the finder confirmed it; null when not asked or no answer. */
  private final ConnectionStatus statusWhenFound;
  private final InetAddress externalWhenFound;
  /** The default gateway that offered nothing when this other device was chosen; else null. */
  private final InetAddress passedOver;

  private Gateway(URI location, DeviceDescription description, InetAddress localAddress,
      Duration timeout, InetSocketAddress foundVia, ConnectionStatus statusWhenFound,
      InetAddress externalWhenFound) {
    this(location, description, localAddress, timeout, foundVia, statusWhenFound,
        externalWhenFound, null);
  }

  private Gateway(URI location, DeviceDescription description, InetAddress localAddress,
      Duration timeout, InetSocketAddress foundVia, ConnectionStatus statusWhenFound,
      InetAddress externalWhenFound, InetAddress passedOver) {
    this.location = location;
    this.description = description;
    this.localAddress = localAddress;
    this.timeout = timeout;
    this.foundVia = foundVia;
    this.statusWhenFound = statusWhenFound;
    this.externalWhenFound = externalWhenFound;
    this.passedOver = passedOver;
  }

  /**
   * Fetches and parses the description at {@code location}. The control URL must be on the same
   * host as the description, so a description can't point our SOAP requests elsewhere.
   *
   * @param foundVia the SSDP search address that found it, or null
   */
  static Gateway fetch(URI location, Duration timeout, InetSocketAddress foundVia)
      throws IOException {
    long start = System.nanoTime();
    Http.Response response = Http.get(location, timeout);
    log.debug("GET {}: HTTP {}, {} bytes ({} ms)", location, response.status(),
        response.body().length, (System.nanoTime() - start) / 1_000_000);
    if (response.status() != 200) {
      throw new UpnpException("router at " + Http.hostAndPort(location)
          + " answered the description request with HTTP " + response.status());
    }
    DeviceDescription description = DeviceDescription.parse(response.body(), location);
    if (!description.controlUrlIsOn(location)) {
      throw new UpnpException("router at " + Http.hostAndPort(location)
          + " sent a description whose control URL is on another host: "
          + description.controlUrl());
    }
    log.debug("{} at {}: {}, control URL {}", description.friendlyName(), location,
        description.serviceType(), description.controlUrl());
    return new Gateway(location, description, response.localAddress(), timeout, foundVia, null,
        null);
  }

  /**
   * The gateway remembered at {@code location} with {@code service}, confirmed without its
   * description: asks {@code GetExternalIPAddress} at the remembered control URL, which shows
   * the service is there and answers, and gives the external address.
   *
   * @throws IOException when the control URL does not answer that action, e.g. a refused
   *     connection, HTTP 404, or a SOAP fault such as 401 Invalid Action for another service
   */
  static Gateway confirmRemembered(URI location, DeviceDescription service, Duration timeout,
      InetSocketAddress foundVia) throws IOException {
    SoapCall.Reply reply = SoapCall.invoke(service.controlUrl(), service.serviceType(),
        "GetExternalIPAddress", Map.of(), timeout);
    return new Gateway(location, service, reply.localAddress(), timeout, foundVia, null,
        externalAddress(reply.out(), Http.hostAndPort(location)));
  }

  /** This gateway, remembering what the router answered when it was confirmed. */
  Gateway confirmed(ConnectionStatus status, InetAddress external) {
    return new Gateway(location, description, localAddress, timeout, foundVia, status, external);
  }

  /** This gateway, chosen although it is not {@code defaultGateway}, which offered nothing. */
  Gateway passingOver(InetAddress defaultGateway) {
    return new Gateway(location, description, localAddress, timeout, foundVia, statusWhenFound,
        externalWhenFound, defaultGateway);
  }

  /**
   * The default gateway given to {@link GatewayFinder#defaultGateway} when it offered no UPnP and
   * this other LAN device, which says it is a router, was used instead: tell the user which
   * device this is (its name and {@link #location()}), as its external address may be made up.
   * Empty when this is the default gateway, or none was given.
   */
  public Optional<InetAddress> passedOverDefaultGateway() {
    return Optional.ofNullable(passedOver);
  }

  /**
   * Finds this router again after it stopped answering, e.g. rebooted onto another HTTP port (as
   * miniupnpd does by default): searches the way it was first found and accepts only an answer
   * from the same host. For a gateway given by location, fetches that location again.
   *
   * @return the router as it is now, or empty when it did not answer
   */
  Optional<Gateway> relocate() throws IOException {
    if (foundVia == null) return Optional.of(fetch(location, timeout, null));
    Optional<Gateway> found = new GatewayFinder().searchAddress(foundVia).timeout(timeout).find();
    if (found.isPresent() && !found.get().location.getHost().equalsIgnoreCase(location.getHost())) {
      log.info("a different router answered ({}); still waiting for {}", found.get(), this);
      return Optional.empty();
    }
    return found;
  }

  /** The bound on each HTTP exchange with the router. */
  Duration timeout() {
    return timeout;
  }

  /** The description URL, as in the SSDP {@code LOCATION} header. */
  public URI location() {
    return location;
  }

  /** The router's friendly name from its description, e.g. {@code MiniUPnPd}; may be empty. */
  public String friendlyName() {
    return description.friendlyName();
  }

  /** The WAN connection service in use, e.g. {@code urn:schemas-upnp-org:service:WANIPConnection:2}. */
  public String serviceType() {
    return description.serviceType();
  }

  /** The absolute URL control actions are posted to. */
  public URI controlUrl() {
    return description.controlUrl();
  }

  /** Our own address on the router's LAN: mappings always point here. */
  public InetAddress localAddress() {
    return localAddress;
  }

  /** True for a WANIPConnection:2 service, which has {@code AddAnyPortMapping}. */
  public boolean supportsAddAnyPortMapping() {
    return serviceType().equals(DeviceDescription.WAN_IP_2);
  }

  /**
   * {@code GetExternalIPAddress}: the router's address on its WAN side.
   *
   * @return the address, or null when the router reports none or something that is not an IP
   *     literal (see {@link AddressKind#of})
   */
  public InetAddress externalIpAddress() throws IOException {
    return externalAddress(call("GetExternalIPAddress", Map.of()), router());
  }

  private static InetAddress externalAddress(Map<String, String> reply, String router) {
    String text = reply.getOrDefault("NewExternalIPAddress", "").trim();
    InetAddress address = IpLiteral.parse(text);
    if (address == null && !text.isEmpty()) {
      log.warn("router at {} reported an external address that is not an IP address: \"{}\"",
          router, text);
    }
    return address;
  }

  /**
   * The external address the router reported when {@link GatewayFinder} confirmed it, moments
   * before {@code find()} returned, so callers need not ask again at once. Empty for a gateway
   * given by location, or when the router reported none.
   */
  public Optional<InetAddress> externalIpAddressWhenFound() {
    return Optional.ofNullable(externalWhenFound);
  }

  /**
   * The {@code GetStatusInfo} answer when {@link GatewayFinder} confirmed this gateway. Empty for
   * a gateway given by location, or when the router did not answer it.
   */
  public Optional<ConnectionStatus> statusInfoWhenFound() {
    return Optional.ofNullable(statusWhenFound);
  }

  /** {@code GetStatusInfo}: whether the WAN connection is up, and for how long. */
  public ConnectionStatus statusInfo() throws IOException {
    Map<String, String> reply = call("GetStatusInfo", Map.of());
    long uptime;
    try {
      uptime = Long.parseLong(reply.getOrDefault("NewUptime", "0").trim());
    } catch (NumberFormatException e) {
      uptime = 0; // informational only; not worth failing the call over
    }
    return new ConnectionStatus(reply.getOrDefault("NewConnectionStatus", "").trim(),
        reply.getOrDefault("NewLastConnectionError", "").trim(), uptime);
  }

  /** {@code GetConnectionTypeInfo}: the connection type, e.g. {@code IP_Routed}. */
  public String connectionTypeInfo() throws IOException {
    return call("GetConnectionTypeInfo", Map.of()).getOrDefault("NewConnectionType", "").trim();
  }

  /**
   * {@code AddPortMapping}: asks for exactly {@code request}. A {@link SoapFaultException} says why
   * the router refused, e.g. 718 when the port is taken. Most callers want {@link PortMapping}.
   */
  public void addPortMapping(PortMappingEntry request) throws IOException {
    call("AddPortMapping", mappingArgs(request));
  }

  /**
   * {@code AddAnyPortMapping} (WANIPConnection:2 only): asks for {@code request}'s external port
   * and lets the router pick another when it is taken.
   *
   * @return the external port the router reserved
   */
  public int addAnyPortMapping(PortMappingEntry request) throws IOException {
    if (!supportsAddAnyPortMapping()) {
      throw new UpnpException("router at " + router() + " has no AddAnyPortMapping (its service is "
          + serviceType() + ", AddAnyPortMapping needs WANIPConnection:2)");
    }
    String reserved = call("AddAnyPortMapping", mappingArgs(request))
        .getOrDefault("NewReservedPort", "").trim();
    try {
      int port = Integer.parseInt(reserved);
      if (port > 0 && port <= 65535) return port;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UpnpException("router at " + router() + " reserved an invalid port: \""
        + reserved + "\"");
  }

  /** {@code DeletePortMapping}; a 714 fault means there was no such mapping. */
  public void deletePortMapping(int externalPort, Protocol protocol) throws IOException {
    call("DeletePortMapping", key(externalPort, protocol));
  }

  /** {@code GetSpecificPortMappingEntry}: the mapping of that external port, if any. */
  public Optional<PortMappingEntry> specificPortMappingEntry(int externalPort, Protocol protocol)
      throws IOException {
    try {
      Map<String, String> reply = call("GetSpecificPortMappingEntry", key(externalPort, protocol));
      return Optional.of(PortListing.fromSpecific(reply, externalPort, protocol, router()));
    } catch (SoapFaultException e) {
      if (e.errorCode() == SoapFaultException.NO_SUCH_ENTRY_IN_ARRAY) return Optional.empty();
      throw e;
    }
  }

  /**
   * All mappings, via {@code GetGenericPortMappingEntry} from index 0 until the router says the
   * index is past the end (713, or 714/402/501 on some routers); at most 1024 entries.
   */
  public List<PortMappingEntry> portMappings() throws IOException {
    List<PortMappingEntry> entries = new ArrayList<>();
    for (int index = 0; index < MAX_LISTED_MAPPINGS; index++) {
      Map<String, String> reply;
      try {
        reply = call("GetGenericPortMappingEntry", Map.of("NewPortMappingIndex", Integer.toString(index)));
      } catch (SoapFaultException e) {
        if (isEndOfList(e.errorCode())) return entries;
        throw e;
      }
      entries.add(PortListing.fromGeneric(reply, router()));
    }
    log.warn("router at {} lists more than {} mappings; showing the first {}",
        router(), MAX_LISTED_MAPPINGS, MAX_LISTED_MAPPINGS);
    return entries;
  }

  private static boolean isEndOfList(int code) {
    return code == SoapFaultException.SPECIFIED_ARRAY_INDEX_INVALID
        || code == SoapFaultException.NO_SUCH_ENTRY_IN_ARRAY
        || code == SoapFaultException.INVALID_ARGS
        || code == SoapFaultException.ACTION_FAILED;
  }

  private Map<String, String> call(String action, Map<String, String> args) throws IOException {
    return SoapCall.invoke(controlUrl(), serviceType(), action, args, timeout).out();
  }

  private static Map<String, String> key(int externalPort, Protocol protocol) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("NewRemoteHost", "");
    args.put("NewExternalPort", Integer.toString(externalPort));
    args.put("NewProtocol", protocol.name());
    return args;
  }

  private static Map<String, String> mappingArgs(PortMappingEntry m) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("NewRemoteHost", m.remoteHost());
    args.put("NewExternalPort", Integer.toString(m.externalPort()));
    args.put("NewProtocol", m.protocol().name());
    args.put("NewInternalPort", Integer.toString(m.internalPort()));
    args.put("NewInternalClient", m.internalClient());
    args.put("NewEnabled", m.enabled() ? "1" : "0");
    args.put("NewPortMappingDescription", m.description());
    args.put("NewLeaseDuration", Integer.toString(m.leaseSeconds()));
    return args;
  }

  private String router() {
    return Http.hostAndPort(location);
  }

  /** E.g. {@code MiniUPnPd at http://192.168.1.1:5000/rootDesc.xml (WANIPConnection:2)}. */
  @Override
  public String toString() {
    String type = serviceType().substring(serviceType().lastIndexOf(':', serviceType().length() - 3) + 1);
    return (friendlyName().isEmpty() ? "gateway" : friendlyName()) + " at " + location
        + " (" + type + ")";
  }
}
