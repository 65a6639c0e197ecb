package dev.p2pchat.chat.trust;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Turns connected sockets into mutually authenticated TLS 1.3 channels with this node's
 * identity, the JDK's SunJSSE doing all of TLS. Each connection gets its own {@link SSLContext}:
 * its trust manager carries that connection's {@link PeerVerifier}, and no session is ever
 * resumed, so every handshake shows the peer's certificate to the verifier.
 */
public final class TlsEndpoint {
  static final String PROTOCOL = "TLSv1.3";

  private final KeyManager[] keyManagers;
  private final int handshakeTimeoutMillis;

  public TlsEndpoint(Identity identity, Duration handshakeTimeout) {
    this.keyManagers = new KeyManager[] {new IdentityKeyManager(identity)};
    this.handshakeTimeoutMillis = Math.toIntExact(handshakeTimeout.toMillis());
  }

  /**
   * Handshakes as the TLS client on a socket this node dialled. Returns once the peer's key is
   * accepted; closes {@code dialled} and throws otherwise. An acceptor that refuses our key may
   * only say so after this returns (TLS 1.3 finishes the client first): the first read fails.
   */
  public SecuredConnection secureDialled(Socket dialled, PeerVerifier verifier)
      throws TlsHandshakeException {
    return handshake(dialled, verifier, true);
  }

  /**
   * Handshakes as the TLS server on a socket this node accepted, requiring the peer's
   * certificate. Returns once the peer's key is accepted; closes {@code accepted} and throws
   * otherwise.
   */
  public SecuredConnection secureAccepted(Socket accepted, PeerVerifier verifier)
      throws TlsHandshakeException {
    return handshake(accepted, verifier, false);
  }

  private SecuredConnection handshake(Socket plain, PeerVerifier verifier, boolean dialled)
      throws TlsHandshakeException {
    String peer = plain.getInetAddress().getHostAddress() + " port " + plain.getPort();
    PeerTrustManager trust = new PeerTrustManager(verifier);
    try {
      SSLSocket tls = (SSLSocket) context(trust).getSocketFactory().createSocket(plain,
          plain.getInetAddress().getHostAddress(), plain.getPort(), true);
      tls.setEnabledProtocols(new String[] {PROTOCOL});
      tls.setUseClientMode(dialled);
      if (!dialled) tls.setNeedClientAuth(true);
      // The handshake's flights are small writes: Nagle would hold one back for a delayed ACK
      // (40 ms on Linux), several times the whole handshake.
      plain.setTcpNoDelay(true);
      int timeout = plain.getSoTimeout();
      tls.setSoTimeout(handshakeTimeoutMillis);
      tls.startHandshake();
      tls.setSoTimeout(timeout);
      if (trust.verdict() == null) { // cannot happen with a fresh context and client auth needed
        throw new SSLException("the peer's certificate was never checked");
      }
      return new SecuredConnection(tls, plain, trust.verdict());
    } catch (SocketTimeoutException e) {
      closeQuietly(plain);
      throw new TlsHandshakeException("no TLS handshake from " + peer + " within "
          + handshakeTimeoutMillis + " ms", e);
    } catch (IOException e) {
      closeQuietly(plain);
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof PeerTrustManager.Refusal) {
          throw new PeerRefusedException(((PeerTrustManager.Refusal) cause).verdict);
        }
      }
      throw new TlsHandshakeException("TLS 1.3 handshake with " + peer + " failed: "
          + (e instanceof SSLException ? "" : e.getClass().getSimpleName() + ": ")
          + e.getMessage(), e);
    }
  }

  /** A TLS 1.3-only context with this node's key and {@code trust} for one connection. */
  SSLContext context(TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(keyManagers, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no TLS 1.3: " + e, e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is left to do with it
    }
  }
}
