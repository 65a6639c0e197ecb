package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jdom2.Element;
import org.jdom2.filter.Filters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UPnP control action over SOAP (like miniupnpc's minisoap and upnpreplyparse): builds the
 * envelope with escaped arguments, posts it, and reads the out-arguments by local name — or turns
 * a SOAP fault into a {@link SoapFaultException}.
 */
final class SoapCall {
  private static final Logger log = LoggerFactory.getLogger(SoapCall.class);
  private static final int MAX_SHOWN = 12;

  private SoapCall() {}

  /**
   * A router's answer to an action.
   *
   * @param out out-arguments by name, e.g. {@code NewExternalIPAddress}
   * @param localAddress our end of the connection that carried it: our address on the router's LAN
   */
  record Reply(Map<String, String> out, InetAddress localAddress) {}

  /**
   * Invokes {@code action} of {@code serviceType} at {@code controlUrl}.
   *
   * @param args in-arguments in the order the service declares them (use a LinkedHashMap)
   */
  static Reply invoke(URI controlUrl, String serviceType, String action,
      Map<String, String> args, Duration timeout) throws IOException {
    byte[] body = envelope(serviceType, action, args).getBytes(StandardCharsets.UTF_8);
    long start = System.nanoTime();
    Http.Response response = null;
    try {
      response = Http.postSoap(controlUrl, serviceType + "#" + action, body, timeout);
      Map<String, String> out = parseReply(response, Http.hostAndPort(controlUrl), action);
      trace(action, args, response, start, out, null);
      return new Reply(out, response.localAddress());
    } catch (SoapFaultException e) {
      trace(action, args, response, start, null,
          "fault " + e.errorCode() + " " + shown(e.errorDescription()));
      throw e;
    } catch (IOException e) {
      trace(action, args, response, start, null, "failed: " + e.getMessage());
      throw e;
    }
  }

  /** One debug line per action: arguments, answer (or failure), HTTP status, size, duration. */
  private static void trace(String action, Map<String, String> args, Http.Response response,
      long startNanos, Map<String, String> out, String failure) {
    if (!log.isDebugEnabled()) return;
    log.debug("{}({}) -> {} ({}{} ms)", action, shown(args),
        out == null ? failure : shown(new TreeMap<>(out)),
        response == null ? "" : "HTTP " + response.status() + ", " + response.body().length
            + " bytes, ", (System.nanoTime() - startNanos) / 1_000_000);
  }

  /**
   * Arguments for the debug log: {@code Name=value, ...} in their order, values cleaned and cut
   * short, at most {@value #MAX_SHOWN} of them.
   */
  private static String shown(Map<String, String> args) {
    StringBuilder s = new StringBuilder();
    int count = 0;
    for (Map.Entry<String, String> arg : args.entrySet()) {
      if (count++ == MAX_SHOWN) return s.append(", ...").toString();
      if (s.length() > 0) s.append(", ");
      s.append(shown(arg.getKey())).append('=').append(shown(arg.getValue()));
    }
    return s.toString();
  }

  /** Router-supplied text made safe for a log line: no control characters, at most 64 chars. */
  private static String shown(String text) {
    String cut = text.length() <= 64 ? text : text.substring(0, 61) + "...";
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  static String envelope(String serviceType, String action, Map<String, String> args) {
    StringBuilder xml = new StringBuilder(512)
        .append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n")
        .append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"")
        .append(" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>")
        .append("<u:").append(action).append(" xmlns:u=\"").append(Xml.escape(serviceType))
        .append("\">");
    for (Map.Entry<String, String> arg : args.entrySet()) {
      xml.append('<').append(arg.getKey()).append('>')
          .append(Xml.escape(arg.getValue()))
          .append("</").append(arg.getKey()).append('>');
    }
    return xml.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n").toString();
  }

  private static Map<String, String> parseReply(Http.Response response, String router,
      String action) throws UpnpException {
    Envelope reply;
    try {
      reply = Envelope.read(response.body(), action + "Response");
    } catch (UpnpException e) {
      if (response.status() != 200) throw httpError(response, router, action);
      throw new UpnpException("router at " + router + " sent an invalid " + action + " reply: "
          + e.getMessage(), e);
    }
    if (reply.fault() != null) {
      Fault fault = reply.fault();
      int errorCode;
      try {
        errorCode = fault.code().isEmpty() ? -1 : Integer.parseInt(fault.code());
      } catch (NumberFormatException e) {
        errorCode = -1;
      }
      String description = fault.description().isEmpty() ? fault.faultString()
          : fault.description();
      throw new SoapFaultException(router, action, errorCode, description);
    }
    if (response.status() != 200) throw httpError(response, router, action);
    if (reply.out() == null) {
      throw new UpnpException("router at " + router + " sent a " + action
          + " reply without " + action + "Response");
    }
    return reply.out();
  }

  /**
   * What a SOAP reply says: the out-arguments (each child of {@code <Body><xResponse>}, by name,
   * with its text), or a fault; null where the reply has none.
   */
  private record Envelope(Map<String, String> out, Fault fault) {
    /**
     * Reads an {@code <Envelope><Body>} reply: its first {@code Body}'s first {@code Fault},
     * or its first {@code responseName} element.
     */
    static Envelope read(byte[] body, String responseName) throws UpnpException {
      Element envelope = Xml.parse(body);
      Element reply = envelope.getName().equals("Envelope") ? Xml.child(envelope, "Body") : null;
      if (reply == null) return new Envelope(null, null);
      Element fault = Xml.child(reply, "Fault");
      Element response = Xml.child(reply, responseName);
      Map<String, String> out = null;
      if (response != null) {
        out = new HashMap<>();
        for (Element argument : response.getChildren()) {
          out.put(argument.getName(), argument.getText());
        }
      }
      return new Envelope(out, fault == null ? null : Fault.of(fault));
    }
  }

  /**
   * A SOAP fault: the UPnP error's code and description, and the fault string; each "" when
   * absent.
   */
  private record Fault(String code, String description, String faultString) {
    /** The first {@code faultstring} in {@code fault}, and its first {@code UPnPError} at any depth. */
    static Fault of(Element fault) {
      Element error = null;
      for (Element e : fault.getDescendants(Filters.element())) { // in any namespace
        if (e.getName().equals("UPnPError")) {
          error = e;
          break;
        }
      }
      return new Fault(Xml.childText(error, "errorCode"), Xml.childText(error, "errorDescription"),
          Xml.childText(fault, "faultstring"));
    }
  }

  private static UpnpException httpError(Http.Response response, String router, String action) {
    return new UpnpException("router at " + router + " answered " + action + " with HTTP "
        + response.status() + (response.reason().isEmpty() ? "" : " " + response.reason()));
  }
}
