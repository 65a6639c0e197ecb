package dev.p2pchat.chat.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A node's long-term key pair and the self-signed certificate it presents in every TLS
 * handshake. The JDK makes the Ed25519 keys and signatures; BouncyCastle only lays out the
 * certificate. See docs/trust.md for the certificate profile.
 */
public final class Identity {
  static final String KEY_ALGORITHM = "Ed25519";
  /** RFC 5280 4.1.2.5: the notAfter of a certificate with no well-defined expiration. */
  private static final Instant NO_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
  private static final X500Name SUBJECT = new X500Name("CN=p2p-chat node");

  private final PrivateKey privateKey;
  private final X509Certificate certificate;
  private final Fingerprint fingerprint;

  private Identity(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
    this.fingerprint = Fingerprint.of(certificate);
  }

  /** A new key pair and its certificate; nothing is written anywhere. */
  public static Identity generate() {
    try {
      SecureRandom random = new SecureRandom();
      KeyPair keys = KeyPairGenerator.getInstance(KEY_ALGORITHM).generateKeyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(SUBJECT,
          new BigInteger(127, random).setBit(0), // positive, nonzero, at most 16 octets
          Date.from(now.minus(Duration.ofHours(1))), Date.from(NO_EXPIRY), SUBJECT,
          keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(KEY_ALGORITHM).build(keys.getPrivate())));
      return new Identity(keys.getPrivate(), certificate);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("this JDK cannot make Ed25519 certificates: " + e, e);
    }
  }

  /**
   * Reads what {@link #writePem} wrote: the certificate and the PKCS#8 private key, checking that
   * they belong together.
   */
  static Identity readPem(Reader in) throws IOException {
    X509Certificate certificate = null;
    PrivateKey privateKey = null;
    try (PemReader pem = new PemReader(in)) {
      for (PemObject object; (object = pem.readPemObject()) != null; ) {
        switch (object.getType()) {
          case "CERTIFICATE":
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(object.getContent()));
            break;
          case "PRIVATE KEY":
            privateKey = KeyFactory.getInstance(KEY_ALGORITHM)
                .generatePrivate(new PKCS8EncodedKeySpec(object.getContent()));
            break;
          default:
            throw new IOException("unexpected " + object.getType() + " block");
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException("unreadable certificate or key: " + e.getMessage(), e);
    }
    if (certificate == null || privateKey == null) {
      throw new IOException("it needs a CERTIFICATE and a PRIVATE KEY block");
    }
    checkPair(privateKey, certificate);
    return new Identity(privateKey, certificate);
  }

  /** Writes the certificate and the unencrypted PKCS#8 private key as PEM, as openssl reads them. */
  void writePem(Writer out) throws IOException {
    try (PemWriter pem = new PemWriter(out)) {
      pem.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
      pem.writeObject(new PemObject("PRIVATE KEY", privateKey.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IOException(e);
    }
  }

  private static void checkPair(PrivateKey privateKey, X509Certificate certificate)
      throws IOException {
    try {
      certificate.verify(certificate.getPublicKey());
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(KEY_ALGORITHM);
      signer.initSign(privateKey);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(KEY_ALGORITHM);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw new IOException("the private key does not belong to the certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("the certificate is not a self-signed " + KEY_ALGORITHM
          + " certificate: " + e.getMessage(), e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  public Fingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "Identity " + fingerprint;
  }
}
