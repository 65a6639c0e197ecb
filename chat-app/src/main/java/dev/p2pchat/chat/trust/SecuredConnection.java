package dev.p2pchat.chat.trust;

import javax.net.ssl.SSLSocket;

/** A TLS 1.3 socket whose handshake is done, and the accepted verdict on the peer's key. */
public record SecuredConnection(SSLSocket socket, Verdict verdict) {
  public Fingerprint peer() {
    return verdict.presented();
  }
}
