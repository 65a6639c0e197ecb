package dev.p2pchat.chat.trust;

import java.net.Socket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS 1.3 socket whose handshake is done, the TCP socket beneath it, and the accepted verdict
 * on the peer's key. Closing {@code tcp} ends the connection at once, even while a thread is
 * blocked writing to {@code socket} (closing the TLS socket would wait for that write to finish,
 * to send its close_notify after it).
 */
public record SecuredConnection(SSLSocket socket, Socket tcp, Verdict verdict) {
  public Fingerprint peer() {
    return verdict.presented();
  }
}
