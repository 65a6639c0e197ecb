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
    String value = header("SOAPAction");
    if (value == null) return null;
    value = value.replace("\"", "");
    return value.substring(value.indexOf('#') + 1);
  }
}
