package dev.p2pchat.chat.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.interfaces.EdECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityTest {
  @Test
  void certificateFollowsTheProfile() throws Exception {
    Identity identity = Identity.generate();
    X509Certificate certificate = identity.certificate();

    certificate.verify(certificate.getPublicKey()); // self-signed
    assertEquals("Ed25519", ((EdECPublicKey) certificate.getPublicKey()).getParams().getName());
    assertEquals("Ed25519", certificate.getSigAlgName());
    assertEquals(3, certificate.getVersion());
    assertEquals("CN=p2p-chat node", certificate.getSubjectX500Principal().getName());
    assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
    assertEquals(-1, certificate.getBasicConstraints()); // not a CA
    assertTrue(certificate.getKeyUsage()[0]); // digitalSignature
    assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"),
        certificate.getExtendedKeyUsage()); // serverAuth, clientAuth
    assertEquals(Instant.parse("9999-12-31T23:59:59Z"), certificate.getNotAfter().toInstant());
    assertTrue(certificate.getNotBefore().toInstant().isBefore(Instant.now()));
    assertTrue(certificate.getSerialNumber().signum() > 0);
    assertEquals(Fingerprint.of(certificate.getPublicKey()), identity.fingerprint());
  }

  @Test
  void eachIdentityHasItsOwnKey() {
    assertNotEquals(Identity.generate().fingerprint(), Identity.generate().fingerprint());
  }

  @Test
  void pemRoundTrips() throws Exception {
    Identity identity = Identity.generate();
    StringWriter pem = new StringWriter();
    identity.writePem(pem);

    Identity read = Identity.readPem(new StringReader(pem.toString()));

    assertTrue(pem.toString().startsWith("-----BEGIN CERTIFICATE-----"), pem.toString());
    assertTrue(pem.toString().contains("-----BEGIN PRIVATE KEY-----"), pem.toString());
    assertEquals(identity.fingerprint(), read.fingerprint());
    assertArrayEquals(identity.privateKey().getEncoded(), read.privateKey().getEncoded());
  }

  @Test
  void refusesAKeyThatIsNotTheCertificates() throws Exception {
    String one = pem(Identity.generate());
    String other = pem(Identity.generate());
    String certificateOfOne = one.substring(0, one.indexOf("-----BEGIN PRIVATE KEY-----"));
    String keyOfOther = other.substring(other.indexOf("-----BEGIN PRIVATE KEY-----"));

    IOException e = assertThrows(IOException.class,
        () -> Identity.readPem(new StringReader(certificateOfOne + keyOfOther)));
    assertEquals("the private key does not belong to the certificate", e.getMessage());
  }

  @Test
  void refusesIncompleteOrForeignPem() throws Exception {
    String pem = pem(Identity.generate());
    String certificateOnly = pem.substring(0, pem.indexOf("-----BEGIN PRIVATE KEY-----"));

    assertEquals("it needs a CERTIFICATE and a PRIVATE KEY block", assertThrows(IOException.class,
        () -> Identity.readPem(new StringReader(certificateOnly))).getMessage());
    assertEquals("it needs a CERTIFICATE and a PRIVATE KEY block", assertThrows(IOException.class,
        () -> Identity.readPem(new StringReader("hello"))).getMessage());
    assertEquals("unexpected RSA PRIVATE KEY block", assertThrows(IOException.class,
        () -> Identity.readPem(new StringReader(
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")))
        .getMessage());
    assertFalse(assertThrows(IOException.class, () -> Identity.readPem(new StringReader(
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")))
        .getMessage().isEmpty());
  }

  private static String pem(Identity identity) throws IOException {
    StringWriter out = new StringWriter();
    identity.writePem(out);
    return out.toString();
  }
}
