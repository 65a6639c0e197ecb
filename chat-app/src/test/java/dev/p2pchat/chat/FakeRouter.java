package dev.p2pchat.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal UPnP IGD on 127.0.0.1 (description and WANIPConnection:1 SOAP actions over HTTP),
 * enough for the chat app's port forwarding; the upnp module's tests cover the protocol itself.
 */
final class FakeRouter implements AutoCloseable {
  private static final String SERVICE = "urn:schemas-upnp-org:service:WANIPConnection:1";
  private static final Pattern ARGUMENT = Pattern.compile("<(New\\w+)>([^<]*)</\\1>");

  private final HttpServer server;
  /** Mapped external port to internal "client:port". */
  final Map<Integer, String> mappings = new ConcurrentHashMap<>();
  final List<String> actions = new CopyOnWriteArrayList<>();
  volatile String externalIp;
  /** When set, AddPortMapping fails with this UPnP error code and description. */
  volatile String addFault;

  FakeRouter(String externalIp) throws IOException {
    this.externalIp = externalIp;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/rootDesc.xml", e -> respond(e, 200, description()));
    server.createContext("/ctl/IPConn", this::soap);
    server.start();
  }

  URI location() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/rootDesc.xml");
  }

  private void soap(HttpExchange e) throws IOException {
    String header = e.getRequestHeaders().getFirst("SOAPAction");
    String action = header == null ? "" : header.replace("\"", "").replaceAll(".*#", "");
    String body = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> args = new java.util.HashMap<>();
    Matcher m = ARGUMENT.matcher(body);
    while (m.find()) args.put(m.group(1), m.group(2));
    actions.add(action);
    switch (action) {
      case "GetExternalIPAddress":
        ok(e, action, "<NewExternalIPAddress>" + externalIp + "</NewExternalIPAddress>");
        break;
      case "AddPortMapping":
        if (addFault != null) {
          fault(e, addFault);
          break;
        }
        mappings.put(Integer.parseInt(args.get("NewExternalPort")),
            args.get("NewInternalClient") + ":" + args.get("NewInternalPort"));
        ok(e, action, "");
        break;
      case "DeletePortMapping":
        mappings.remove(Integer.parseInt(args.get("NewExternalPort")));
        ok(e, action, "");
        break;
      case "GetSpecificPortMappingEntry":
        String target = mappings.get(Integer.parseInt(args.get("NewExternalPort")));
        if (target == null) {
          fault(e, "714 NoSuchEntryInArray");
          break;
        }
        String[] clientPort = target.split(":");
        ok(e, action, "<NewInternalPort>" + clientPort[1] + "</NewInternalPort><NewInternalClient>"
            + clientPort[0] + "</NewInternalClient><NewEnabled>1</NewEnabled>"
            + "<NewPortMappingDescription>p2p-chat</NewPortMappingDescription>"
            + "<NewLeaseDuration>3600</NewLeaseDuration>");
        break;
      default:
        fault(e, "401 Invalid Action");
    }
  }

  private void ok(HttpExchange e, String action, String out) throws IOException {
    respond(e, 200, envelope("<u:" + action + "Response xmlns:u=\"" + SERVICE + "\">" + out
        + "</u:" + action + "Response>"));
  }

  private void fault(HttpExchange e, String codeAndDescription) throws IOException {
    int space = codeAndDescription.indexOf(' ');
    respond(e, 500, envelope("<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError"
        + "</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>"
        + codeAndDescription.substring(0, space) + "</errorCode><errorDescription>"
        + codeAndDescription.substring(space + 1) + "</errorDescription></UPnPError></detail></s:Fault>"));
  }

  private static String envelope(String body) {
    return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>" + body
        + "</s:Body></s:Envelope>";
  }

  private static void respond(HttpExchange e, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    e.getResponseHeaders().set("Content-Type", "text/xml; charset=\"utf-8\"");
    e.sendResponseHeaders(status, bytes.length);
    e.getResponseBody().write(bytes);
    e.close();
  }

  private static String description() {
    return "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
        + "<specVersion><major>1</major><minor>0</minor></specVersion><device>"
        + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>"
        + "<friendlyName>Fake Router</friendlyName><UDN>uuid:fake</UDN><deviceList><device>"
        + "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>"
        + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>"
        + "<serviceList><service><serviceType>" + SERVICE + "</serviceType>"
        + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>/ctl/IPConn</controlURL>"
        + "<eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>"
        + "</device></deviceList></device></deviceList></device></root>";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
