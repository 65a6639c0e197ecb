package dev.p2pchat.chat.trust;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECPublicKey;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust for one connection: the peer must present one well-formed self-signed Ed25519
 * certificate (no certificate authorities, no names, no dates: the key is the identity), and the
 * node's {@link PeerVerifier} decides on its fingerprint. A refusal fails the handshake, so the
 * refused peer never receives application data and gets a TLS alert.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
  /** Carries a refusal through JSSE, which wraps it in the handshake's SSLException. */
  static final class Refusal extends CertificateException {
    final transient Verdict verdict;

    Refusal(Verdict verdict) {
      super(verdict.message());
      this.verdict = verdict;
    }
  }

  private final PeerVerifier verifier;
  private volatile Verdict verdict;

  PeerTrustManager(PeerVerifier verifier) {
    this.verifier = verifier;
  }

  /** The decision taken during the handshake, or null if the peer sent no certificate. */
  Verdict verdict() {
    return verdict;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length != 1) {
      throw new CertificateException("expected one self-signed certificate, got "
          + (chain == null ? 0 : chain.length));
    }
    X509Certificate certificate = chain[0];
    if (!(certificate.getPublicKey() instanceof EdECPublicKey)
        || !((EdECPublicKey) certificate.getPublicKey()).getParams().getName()
            .equals(Identity.KEY_ALGORITHM)) {
      throw new CertificateException("expected an " + Identity.KEY_ALGORITHM + " key, got "
          + certificate.getPublicKey().getAlgorithm());
    }
    try {
      certificate.verify(certificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("the certificate is not self-signed: " + e.getMessage(), e);
    }
    Verdict decided = verifier.verify(Fingerprint.of(certificate));
    verdict = decided;
    if (!decided.accepted()) throw new Refusal(decided);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  /** None: the certificate request names no authorities, any self-signed certificate will do. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
