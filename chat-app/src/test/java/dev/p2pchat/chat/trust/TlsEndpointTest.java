package dev.p2pchat.chat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Handshakes between two identities over 127.0.0.1, both ends in this test. */
@Timeout(30)
class TlsEndpointTest {
  private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  private static final Identity ALICE = Identity.generate();
  private static final Identity BOB = Identity.generate();
  private static final Identity MALLORY = Identity.generate();

  private final ExecutorService acceptor = Executors.newSingleThreadExecutor();
  private ServerSocket server;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    acceptor.shutdownNow();
    assertTrue(acceptor.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void twoIdentitiesHandshakeAndExchangeBytes() throws Exception {
    Future<SecuredConnection> accepted = accept(BOB, PeerVerifier.firstUse());
    SecuredConnection dialled = endpoint(ALICE).secureDialled(dial(), PeerVerifier.firstUse());
    SecuredConnection bobsEnd = accepted.get();

    assertEquals(BOB.fingerprint(), dialled.peer());
    assertEquals(ALICE.fingerprint(), bobsEnd.peer());
    assertEquals(Verdict.Kind.ACCEPT_NEW, dialled.verdict().kind());
    assertEquals(Verdict.Kind.ACCEPT_NEW, bobsEnd.verdict().kind());
    assertEquals("TLSv1.3", dialled.socket().getSession().getProtocol());
    assertEquals("TLSv1.3", bobsEnd.socket().getSession().getProtocol());
    exchange(dialled.socket(), bobsEnd.socket(), "hello bob");
    exchange(bobsEnd.socket(), dialled.socket(), "hello alice");
    dialled.socket().close();
    bobsEnd.socket().close();
  }

  @Test
  void aPinnedFingerprintThatMatchesIsKnown() throws Exception {
    Future<SecuredConnection> accepted = accept(BOB, PeerVerifier.firstUse());
    SecuredConnection dialled = endpoint(ALICE).secureDialled(dial(),
        PeerVerifier.expecting("127.0.0.1:" + server.getLocalPort(), BOB.fingerprint(),
            "the token you pasted"));

    assertEquals(Verdict.Kind.ACCEPT_KNOWN, dialled.verdict().kind());
    assertEquals(Optional.of(BOB.fingerprint()), dialled.verdict().expected());
    exchange(dialled.socket(), accepted.get().socket(), "hi");
  }

  @Test
  void theDiallerRefusesAnotherKeyThanPinnedAndTheAcceptorFails() throws Exception {
    Future<SecuredConnection> accepted = accept(MALLORY, PeerVerifier.firstUse());

    PeerRefusedException refused = assertThrows(PeerRefusedException.class,
        () -> endpoint(ALICE).secureDialled(dial(), PeerVerifier.expecting(
            "5.6.7.1:48083", BOB.fingerprint(), "the token you pasted")));

    Verdict verdict = refused.verdict();
    assertEquals(Verdict.Kind.REFUSE_MISMATCH, verdict.kind());
    assertEquals(MALLORY.fingerprint(), verdict.presented());
    assertEquals(Optional.of(BOB.fingerprint()), verdict.expected());
    assertEquals("WARNING: the peer at 5.6.7.1:48083 presented a different key than expected!\n"
        + "  expected (the token you pasted): " + BOB.fingerprint() + "\n"
        + "  presented: " + MALLORY.fingerprint() + "\n"
        + "Someone may be pretending to be this peer, or the peer has a new identity. The"
        + " connection was refused and nothing was sent. Ask the peer for their fingerprint by"
        + " another way (phone, in person); only if it is the presented one, accept it with"
        + " /trust " + MALLORY.fingerprint(), refused.getMessage());
    // the alert, or a broken pipe or reset if the refusing end closed before all was read
    TlsHandshakeException failed = acceptFailure(accepted);
    assertTrue(failed.getMessage().startsWith("TLS 1.3 handshake with 127.0.0.1 port "),
        failed.getMessage());
  }

  @Test
  void theAcceptorRefusesAnotherKeyThanRememberedAndTheDiallerLearnsItOnReading()
      throws Exception {
    Future<SecuredConnection> accepted = accept(BOB, PeerVerifier.expecting(
        "127.0.0.1", ALICE.fingerprint(), "remembered for alice"));

    SecuredConnection dialled;
    try {
      dialled = endpoint(MALLORY).secureDialled(dial(), PeerVerifier.firstUse());
    } catch (TlsHandshakeException e) {
      dialled = null; // the acceptor's alert came before the dialler's handshake returned
    }

    PeerRefusedException refused = assertInstanceOf(PeerRefusedException.class,
        assertThrows(ExecutionException.class, accepted::get).getCause());
    assertEquals(MALLORY.fingerprint(), refused.verdict().presented());
    assertEquals(Optional.of(ALICE.fingerprint()), refused.verdict().expected());
    if (dialled != null) {
      SSLSocket socket = dialled.socket();
      assertThrows(IOException.class, () -> socket.getInputStream().read()); // alert or reset
    }
  }

  @Test
  void aPlaintextClientGetsNothingButTlsAndTheAcceptorCarriesOn() throws Exception {
    Future<SecuredConnection> first = accept(BOB, PeerVerifier.firstUse());
    byte[] answer;
    try (Socket plaintext = dial()) {
      plaintext.getOutputStream().write(
          "{\"type\":\"hello\",\"nick\":\"eve\"}\n".getBytes(StandardCharsets.UTF_8));
      plaintext.setSoTimeout(5000);
      answer = plaintext.getInputStream().readAllBytes();
    }

    TlsHandshakeException failed = acceptFailure(first);
    assertTrue(failed.getMessage().startsWith("TLS 1.3 handshake with 127.0.0.1 port "),
        failed.getMessage());
    // at most a TLS alert record (content type 21), never text
    assertTrue(answer.length == 0 || answer[0] == 21, Arrays.toString(answer));
    assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("{"));

    Future<SecuredConnection> second = accept(BOB, PeerVerifier.firstUse());
    SecuredConnection dialled = endpoint(ALICE).secureDialled(dial(), PeerVerifier.firstUse());
    exchange(dialled.socket(), second.get().socket(), "still here");
  }

  @Test
  void aTls12ClientIsRefused() throws Exception {
    Future<SecuredConnection> accepted = accept(BOB, PeerVerifier.firstUse());
    SSLContext tls12 = endpoint(ALICE).context(new PeerTrustManager(PeerVerifier.firstUse()));
    try (SSLSocket client = (SSLSocket) tls12.getSocketFactory().createSocket(
        InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      client.setEnabledProtocols(new String[] {"TLSv1.2"});
      assertThrows(SSLException.class, client::startHandshake);
    }
    assertTrue(acceptFailure(accepted).getMessage().contains("protocol"));
  }

  @Test
  void aTls12AcceptorIsRefused() throws Exception {
    Future<Void> tls12Server = acceptor.submit(() -> {
      SSLContext tls12 = endpoint(BOB).context(new PeerTrustManager(PeerVerifier.firstUse()));
      try (SSLSocket accepted = (SSLSocket) tls12.getSocketFactory().createSocket(
          server.accept(), null, true)) {
        accepted.setUseClientMode(false);
        accepted.setEnabledProtocols(new String[] {"TLSv1.2"});
        assertThrows(SSLException.class, accepted::startHandshake);
      }
      return null;
    });

    TlsHandshakeException failed = assertThrows(TlsHandshakeException.class,
        () -> endpoint(ALICE).secureDialled(dial(), PeerVerifier.firstUse()));

    assertTrue(failed.getMessage().contains("protocol"), failed.getMessage());
    tls12Server.get();
  }

  @Test
  void aClientWithoutCertificateIsRefused() throws Exception {
    Future<SecuredConnection> accepted = accept(BOB, PeerVerifier.firstUse());
    SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
    anonymous.init(null, new javax.net.ssl.TrustManager[] {
        new PeerTrustManager(PeerVerifier.firstUse())}, null);
    try (SSLSocket client = (SSLSocket) anonymous.getSocketFactory().createSocket(
        InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      client.startHandshake(); // TLS 1.3: the client is done before the server checks it
      assertThrows(IOException.class, () -> client.getInputStream().read()); // alert or reset
    }
    assertTrue(acceptFailure(accepted).getMessage().contains("certificate"));
  }

  @Test
  void aSilentPeerTimesOut() throws Exception {
    Future<SecuredConnection> accepted = acceptor.submit(() ->
        new TlsEndpoint(BOB, Duration.ofMillis(300)).secureAccepted(server.accept(),
            PeerVerifier.firstUse()));
    try (Socket silent = dial()) {
      TlsHandshakeException failed = acceptFailure(accepted);
      assertTrue(failed.getMessage().matches(
          "no TLS handshake from 127\\.0\\.0\\.1 port \\d+ within 300 ms"), failed.getMessage());
      assertEquals(-1, silent.getInputStream().read()); // closed
    }
  }

  private Future<SecuredConnection> accept(Identity identity, PeerVerifier verifier) {
    Callable<SecuredConnection> handshake = () ->
        endpoint(identity).secureAccepted(server.accept(), verifier);
    return acceptor.submit(handshake);
  }

  private static TlsHandshakeException acceptFailure(Future<SecuredConnection> accepted) {
    return assertInstanceOf(TlsHandshakeException.class,
        assertThrows(ExecutionException.class, accepted::get).getCause());
  }

  private Socket dial() throws IOException {
    return new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  private static TlsEndpoint endpoint(Identity identity) {
    return new TlsEndpoint(identity, HANDSHAKE_TIMEOUT);
  }

  private static void exchange(Socket from, Socket to, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    OutputStream out = from.getOutputStream();
    out.write(bytes);
    out.flush();
    InputStream in = to.getInputStream();
    assertEquals(text, new String(in.readNBytes(bytes.length), StandardCharsets.UTF_8));
  }
}
