package dev.p2pchat.upnp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** An HTTP request the fake gateway received, for assertions. */
record RecordedRequest(String method, String path, Map<String, String> headers, byte[] body) {
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The action named by the SOAPAction header, e.g. {@code AddPortMapping}; null for a GET. */
  String soapAction() {
    String value = soapActionHeader();
    return value == null ? null : value.substring(value.indexOf('#') + 1);
  }

  /** The service type named by the SOAPAction header; null for a GET or when it names none. */
  String soapServiceType() {
    String value = soapActionHeader();
    return value == null || value.indexOf('#') < 0 ? null : value.substring(0, value.indexOf('#'));
  }

  private String soapActionHeader() {
    String value = header("SOAPAction");
    return value == null ? null : value.replace("\"", "");
  }
}
