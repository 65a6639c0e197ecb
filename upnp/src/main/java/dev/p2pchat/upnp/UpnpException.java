package dev.p2pchat.upnp;

import java.io.IOException;

/**
 * A UPnP exchange failed in a way the router or its answer is responsible for: an invalid
 * description, an unexpected HTTP status, a malformed SOAP reply. The message names the router
 * and says what was wrong, e.g. {@code router at 192.168.1.1 sent an invalid description: ...}.
 */
public class UpnpException extends IOException {
  /** Creates an exception with a message meant for people. */
  public UpnpException(String message) {
    super(message);
  }

  /** Creates an exception with a message meant for people and the underlying cause. */
  public UpnpException(String message, Throwable cause) {
    super(message, cause);
  }
}
