package dev.p2pchat.chat.trust;

import java.io.IOException;

/** A connection did not become a mutually authenticated TLS 1.3 channel; the message says why. */
public class TlsHandshakeException extends IOException {
  TlsHandshakeException(String message) {
    super(message);
  }

  TlsHandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
