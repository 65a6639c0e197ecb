package dev.p2pchat.upnp;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdom2.Document;
import org.jdom2.Element;
import org.jdom2.input.SAXBuilder;

/**
 * An Internet Gateway Device on 127.0.0.1 for tests, like OkHttp's MockWebServer: an SSDP
 * responder on an ephemeral UDP port (answers unicast M-SEARCH only — nothing multicasts) and an
 * HTTP server serving the description and the SOAP actions of a {@link FakeIgdService}. How it
 * answers is programmable, and every request is recorded.
 */
public final class FakeGateway implements AutoCloseable {
  /** Which IGD flavour the description advertises. */
  enum Kind {
    IGD_V1("urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:WANConnectionDevice:1", DeviceDescription.WAN_IP_1),
    IGD_V2("urn:schemas-upnp-org:device:InternetGatewayDevice:2",
        "urn:schemas-upnp-org:device:WANConnectionDevice:2", DeviceDescription.WAN_IP_2),
    PPP("urn:schemas-upnp-org:device:InternetGatewayDevice:1",
        "urn:schemas-upnp-org:device:WANConnectionDevice:1", DeviceDescription.WAN_PPP_1);

    final String deviceType;
    final String connectionDeviceType;
    final String serviceType;

    Kind(String deviceType, String connectionDeviceType, String serviceType) {
      this.deviceType = deviceType;
      this.connectionDeviceType = connectionDeviceType;
      this.serviceType = serviceType;
    }
  }

  /** How the HTTP server frames (or mangles) an answer. */
  public enum Style {
    /** HTTP/1.1 with Content-Length. */
    NORMAL,
    /** Transfer-Encoding: chunked, in small chunks. */
    CHUNKED,
    /** Lowercase header names, HTTP/1.0. */
    LOWERCASE,
    /** HTTP/1.0 without Content-Length: the body ends when the connection closes. */
    UNTIL_CLOSE,
    /** Content-Length promises the whole body; half of it arrives, then the connection closes. */
    TRUNCATED,
    /** Reads the request and never answers (until the fake closes). */
    NEVER_ANSWER,
    /** Streams 300 KiB of padding inside the body, without Content-Length. */
    OVERSIZED
  }

  static final String DESCRIPTION_PATH = "/rootDesc.xml";
  static final String CONTROL_PATH = "/ctl/IPConn";
  static final String UUID = "fake-igd-0000-0000-000000000001";
  static final String DEFAULT_SSDP_RESPONSE = "HTTP/1.1 200 OK\r\n"
      + "CACHE-CONTROL: max-age=120\r\n"
      + "ST: {ST}\r\n"
      + "USN: uuid:{UUID}::{ST}\r\n"
      + "EXT:\r\n"
      + "SERVER: FakeOS/1.0 UPnP/1.1 FakeGateway/1.0\r\n"
      + "LOCATION: {LOCATION}\r\n"
      + "BOOTID.UPNP.ORG: 1\r\n"
      + "\r\n";

  /** Shared (under its own lock) because making a parser per request is slow. */
  private static final SAXBuilder SOAP_PARSER = new SAXBuilder();

  public final FakeIgdService service;
  private final Kind kind;
  private final InetAddress address;
  /** Other fakes that hear the searches this one hears, as devices on one LAN do. */
  private final List<FakeGateway> neighbours = new CopyOnWriteArrayList<>();
  private final DatagramSocket ssdp;
  private volatile ServerSocket http;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> openConnections = new CopyOnWriteArrayList<>();
  private final AtomicInteger searchesReceived = new AtomicInteger();
  private final AtomicInteger answersSent = new AtomicInteger();
  private volatile boolean closed;

  private volatile boolean ssdpSilent;
  private volatile long ssdpDelayMillis;
  private volatile String ssdpResponse = DEFAULT_SSDP_RESPONSE;
  private volatile String serviceUuid = UUID;
  private volatile String location;
  private volatile String description;
  private volatile Style descriptionStyle = Style.NORMAL;
  private volatile Style soapStyle = Style.NORMAL;
  private volatile String rawSoapReply;
  private volatile int rawSoapStatus;
  private final List<String[]> otherDevices = new CopyOnWriteArrayList<>();
  private final Map<String, Long> soapDelays = new ConcurrentHashMap<>();
  private final Set<String> notFound = ConcurrentHashMap.newKeySet();

  FakeGateway(Kind kind) throws IOException {
    this(kind, InetAddress.getLoopbackAddress());
  }

  /** A fake on another loopback address, e.g. 127.0.0.2: another device on the "LAN". */
  FakeGateway(Kind kind, InetAddress address) throws IOException {
    this.kind = kind;
    this.address = address;
    this.service = new FakeIgdService(kind == Kind.IGD_V2);
    this.ssdp = new DatagramSocket(new InetSocketAddress(address, 0));
    this.http = new ServerSocket(0, 50, address);
    this.location = httpUrl(DESCRIPTION_PATH);
    this.description = description(kind, "", CONTROL_PATH);
    daemon("fake-ssdp", this::serveSsdp);
    ServerSocket server = http;
    daemon("fake-http-accept", () -> acceptHttp(server));
  }

  /**
   * Restarts the HTTP server on another port, as miniupnpd does after a reboot, and answers
   * searches with the new LOCATION. The mapping table is kept; clear it separately.
   */
  void moveHttpPort() throws IOException {
    ServerSocket old = http;
    ServerSocket server = new ServerSocket(0, 50, address);
    http = server;
    location = httpUrl(DESCRIPTION_PATH);
    old.close();
    for (Socket s : openConnections) s.close();
    daemon("fake-http-accept", () -> acceptHttp(server));
  }

  public FakeGateway() throws IOException {
    this(Kind.IGD_V2);
  }

  /** Where to send M-SEARCH: pass to {@link GatewayFinder#searchAddress}. */
  public InetSocketAddress ssdpAddress() {
    return (InetSocketAddress) ssdp.getLocalSocketAddress();
  }

  String httpUrl(String path) {
    return "http://" + address.getHostAddress() + ":" + http.getLocalPort() + path;
  }

  public String location() {
    return location;
  }

  // ---- programming the fake ----

  /** Answer no M-SEARCH at all. */
  public void ssdpSilent(boolean silent) {
    ssdpSilent = silent;
  }

  void ssdpDelayMillis(long millis) {
    ssdpDelayMillis = millis;
  }

  /** The M-SEARCH answer, with {ST}, {UUID} and {LOCATION} filled in. */
  void ssdpResponse(String template) {
    ssdpResponse = template;
  }

  /**
   * Answer service searches with this uuid in USN, as miniupnpd does: the WAN connection service
   * belongs to an embedded device with a uuid of its own.
   */
  void serviceUuid(String uuid) {
    serviceUuid = uuid;
  }

  /** The LOCATION sent in SSDP answers (default: this fake's description URL). */
  void location(String url) {
    location = url;
  }

  void description(String xml) {
    description = xml;
  }

  void descriptionStyle(Style style) {
    descriptionStyle = style;
  }

  public void soapStyle(Style style) {
    soapStyle = style;
  }

  /** Answer every SOAP request with exactly this status and body instead of the service's reply. */
  void rawSoapReply(int status, String body) {
    rawSoapStatus = status;
    rawSoapReply = body;
  }

  /**
   * Hold each {@code action} request this long before the service handles it, so a test can act
   * while the request is in flight (it is recorded on arrival).
   */
  void soapDelay(String action, long millis) {
    soapDelays.put(action, millis);
  }

  /** Answer 404 to every request for {@code path}, as a router does for a path it has not got. */
  void notFound(String path) {
    notFound.add(path);
  }

  /**
   * Lets {@code other} hear every M-SEARCH this fake hears and answer it from its own address,
   * as another device on the LAN answers a multicast search.
   */
  void alsoAsk(FakeGateway other) {
    neighbours.add(other);
  }

  /** Also answer each M-SEARCH on behalf of another device, after this fake's own answer. */
  void alsoAnnounce(String otherLocation, String otherUuid) {
    otherDevices.add(new String[] {otherLocation, otherUuid});
  }

  /** Sends {@code NOTIFY ssdp:alive} for the root device to {@code to}, as routers do on boot. */
  void announce(InetSocketAddress to, long bootId) throws IOException {
    byte[] notify = ("NOTIFY * HTTP/1.1\r\n"
        + "HOST: 239.255.255.250:1900\r\n"
        + "CACHE-CONTROL: max-age=120\r\n"
        + "LOCATION: " + location + "\r\n"
        + "NT: " + kind.deviceType + "\r\n"
        + "NTS: ssdp:alive\r\n"
        + "USN: uuid:" + UUID + "::" + kind.deviceType + "\r\n"
        + "BOOTID.UPNP.ORG: " + bootId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ssdp.send(new DatagramPacket(notify, notify.length, to));
  }

  /** Requests received, in order. */
  List<RecordedRequest> requests() {
    return new ArrayList<>(requests);
  }

  /** The SOAP actions received, in order. */
  public List<String> actions() {
    List<String> actions = new ArrayList<>();
    for (RecordedRequest r : requests) {
      if (r.soapAction() != null) actions.add(r.soapAction());
    }
    return actions;
  }

  int searchesReceived() {
    return searchesReceived.get();
  }

  /** M-SEARCH answers sent so far (after any delay). */
  int answersSent() {
    return answersSent.get();
  }

  /** A typical IGD description: root device, WANDevice, WANConnectionDevice holding the service. */
  static String description(Kind kind, String urlBase, String controlUrl) {
    return "<?xml version=\"1.0\"?>\n"
        + "<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n"
        + " <specVersion><major>1</major><minor>1</minor></specVersion>\n"
        + (urlBase.isEmpty() ? "" : " <URLBase>" + urlBase + "</URLBase>\n")
        + " <device>\n"
        + "  <deviceType>" + kind.deviceType + "</deviceType>\n"
        + "  <friendlyName>Fake Router</friendlyName>\n"
        + "  <UDN>uuid:" + UUID + "</UDN>\n"
        + "  <serviceList><service>\n"
        + "   <serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>\n"
        + "   <serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId>\n"
        + "   <controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL>\n"
        + "   <SCPDURL>/L3F.xml</SCPDURL>\n"
        + "  </service></serviceList>\n"
        + "  <deviceList><device>\n"
        + "   <deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>\n"
        + "   <friendlyName>WANDevice</friendlyName>\n"
        + "   <serviceList><service>\n"
        + "    <serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>\n"
        + "    <controlURL>/ctl/CmnIfCfg</controlURL>\n"
        + "   </service></serviceList>\n"
        + "   <deviceList><device>\n"
        + "    <deviceType>" + kind.connectionDeviceType + "</deviceType>\n"
        + "    <friendlyName>WANConnectionDevice</friendlyName>\n"
        + "    <serviceList><service>\n"
        + "     <serviceType>" + kind.serviceType + "</serviceType>\n"
        + "     <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>\n"
        + "     <controlURL>" + controlUrl + "</controlURL>\n"
        + "     <eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL>\n"
        + "    </service></serviceList>\n"
        + "   </device></deviceList>\n"
        + "  </device></deviceList>\n"
        + " </device>\n"
        + "</root>\n";
  }

  // ---- SSDP ----

  private void serveSsdp() {
    byte[] buffer = new byte[4096];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        ssdp.receive(packet);
      } catch (IOException e) {
        return; // closed
      }
      String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
      if (!text.startsWith("M-SEARCH")) continue;
      InetSocketAddress to = (InetSocketAddress) packet.getSocketAddress();
      answerSearch(text, to);
      for (FakeGateway other : neighbours) other.answerSearch(text, to);
    }
  }

  private void answerSearch(String text, InetSocketAddress to) {
    searchesReceived.incrementAndGet();
    String st = headerValue(text, "ST");
    if (ssdpSilent || !answers(st)) return;
    List<byte[]> answers = new ArrayList<>();
    answers.add(ssdpAnswer(st, st.equals(kind.serviceType) ? serviceUuid : UUID, location));
    for (String[] other : otherDevices) answers.add(ssdpAnswer(st, other[1], other[0]));
    long delay = ssdpDelayMillis;
    Runnable send = () -> {
      try {
        for (byte[] answer : answers) {
          ssdp.send(new DatagramPacket(answer, answer.length, to));
          answersSent.incrementAndGet();
        }
      } catch (IOException e) {
        // closed meanwhile
      }
    };
    if (delay == 0) {
      send.run();
    } else {
      daemon("fake-ssdp-delayed", () -> {
        sleep(delay);
        send.run();
      });
    }
  }

  private byte[] ssdpAnswer(String st, String uuid, String location) {
    return ssdpResponse.replace("{ST}", st).replace("{UUID}", uuid).replace("{LOCATION}", location)
        .getBytes(StandardCharsets.US_ASCII);
  }

  private boolean answers(String st) {
    return st.equals("ssdp:all") || st.equals(kind.deviceType) || st.equals(kind.serviceType);
  }

  private static String headerValue(String message, String name) {
    for (String line : message.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  // ---- HTTP ----

  private void acceptHttp(ServerSocket server) {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      openConnections.add(socket);
      daemon("fake-http", () -> {
        try (socket) {
          serve(socket);
        } catch (IOException e) {
          // the client went away; nothing to do
        } finally {
          openConnections.remove(socket);
        }
      });
    }
  }

  private void serve(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String requestLine = readLine(in);
    if (requestLine == null) return;
    Map<String, String> headers = new HashMap<>();
    for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    String[] parts = requestLine.split(" ");
    RecordedRequest request = new RecordedRequest(parts[0], parts[1], Map.copyOf(headers), body);
    requests.add(request);
    OutputStream out = socket.getOutputStream();
    if (notFound.contains(parts[1])) {
      respond(out, Style.NORMAL, 404, "not found".getBytes(StandardCharsets.UTF_8));
    } else if (parts[0].equals("GET")) {
      if (parts[1].equals(DESCRIPTION_PATH)) {
        respond(out, descriptionStyle, 200, description.getBytes(StandardCharsets.UTF_8));
      } else {
        respond(out, Style.NORMAL, 404, "not found".getBytes(StandardCharsets.UTF_8));
      }
    } else if (rawSoapReply != null) {
      respond(out, soapStyle, rawSoapStatus, rawSoapReply.getBytes(StandardCharsets.UTF_8));
    } else {
      if (request.soapAction() != null) sleep(soapDelays.getOrDefault(request.soapAction(), 0L));
      // as miniupnpd: an action of a service this device has not got is an invalid action
      FakeIgdService.Reply reply = !kind.serviceType.equals(request.soapServiceType())
          ? FakeIgdService.Reply.fault(401, "Invalid Action")
          : service.handle(request.soapAction(), soapArguments(body));
      respond(out, soapStyle, reply.fault() == null ? 200 : 500,
          soapEnvelope(request.soapAction(), reply).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Map<String, String> soapArguments(byte[] body) throws IOException {
    try {
      Document document;
      synchronized (SOAP_PARSER) {
        document = SOAP_PARSER.build(new ByteArrayInputStream(body));
      }
      Element envelope = document.getRootElement();
      Element bodyElement = envelope.getChildren().get(0);
      Map<String, String> args = new HashMap<>();
      for (Element arg : bodyElement.getChildren().get(0).getChildren()) {
        args.put(arg.getName(), arg.getText());
      }
      return args;
    } catch (org.jdom2.JDOMException e) {
      throw new IOException("fake gateway got a bad SOAP request", e);
    }
  }

  private String soapEnvelope(String action, FakeIgdService.Reply reply) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\r\n"
        + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>");
    if (reply.fault() != null) {
      xml.append("<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>")
          .append("<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">")
          .append("<errorCode>").append(reply.fault().code()).append("</errorCode>")
          .append("<errorDescription>").append(reply.fault().description())
          .append("</errorDescription></UPnPError></detail></s:Fault>");
    } else {
      xml.append("<u:").append(action).append("Response xmlns:u=\"").append(kind.serviceType)
          .append("\">");
      reply.out().forEach((name, value) -> xml.append('<').append(name).append('>')
          .append(Xml.escape(value)).append("</").append(name).append('>'));
      xml.append("</u:").append(action).append("Response>");
    }
    return xml.append("</s:Body></s:Envelope>\r\n").toString();
  }

  private void respond(OutputStream out, Style style, int status, byte[] body) throws IOException {
    String reason = status == 200 ? "OK" : status == 500 ? "Internal Server Error" : "Not Found";
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    switch (style) {
      case NORMAL, TRUNCATED -> {
        write(response, "HTTP/1.1 " + status + " " + reason + "\r\n"
            + "Content-Type: text/xml; charset=\"utf-8\"\r\n"
            + "Connection: close\r\n"
            + "Server: FakeOS/1.0 UPnP/1.1 FakeGateway/1.0\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n");
        response.write(body, 0, style == Style.TRUNCATED ? body.length / 2 : body.length);
      }
      case CHUNKED -> {
        write(response, "HTTP/1.1 " + status + " " + reason + "\r\n"
            + "Content-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < body.length; i += 100) {
          int n = Math.min(100, body.length - i);
          write(response, Integer.toHexString(n) + (i == 0 ? ";ext=1" : "") + "\r\n");
          response.write(body, i, n);
          write(response, "\r\n");
        }
        write(response, "0\r\n\r\n");
      }
      case LOWERCASE -> {
        write(response, "HTTP/1.0 " + status + " " + reason + "\r\n"
            + "content-type: text/xml\r\nconnection: close\r\n"
            + "content-length: " + body.length + "\r\n\r\n");
        response.write(body);
      }
      case UNTIL_CLOSE -> {
        write(response, "HTTP/1.0 " + status + " " + reason + "\r\ncontent-type: text/xml\r\n\r\n");
        response.write(body);
      }
      case OVERSIZED -> {
        write(response, "HTTP/1.1 " + status + " " + reason + "\r\n"
            + "Content-Type: text/xml\r\nConnection: close\r\n\r\n");
        String text = new String(body, StandardCharsets.UTF_8);
        int end = text.indexOf("<root");
        response.write(body, 0, end);
        write(response, "<!--" + "x".repeat(300 * 1024) + "-->");
        response.write(body, end, body.length - end);
      }
      case NEVER_ANSWER -> {
        while (!closed) sleep(20);
        return;
      }
    }
    out.write(response.toByteArray());
    out.flush();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) return line.length() == 0 ? null : line.toString();
      if (b != '\r') line.append((char) b);
    }
    return line.toString();
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    ssdp.close();
    http.close();
    for (Socket s : openConnections) s.close();
  }
}
