package dev.p2pchat.chat.e2e;

import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.PeerVerifier;
import dev.p2pchat.chat.trust.TlsEndpoint;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.HostPort;
import dev.p2pchat.protocol.MessageCodec;
import dev.p2pchat.protocol.Peers;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;

/**
 * A peer that dials a node (args[0], {@code HOST:PORT}), says hello as {@code carol}, introduces
 * the peers args[1..] ({@code ADDRESS#FINGERPRINT}) and stays a few seconds: it runs in a lab host
 * as a separate JVM, so that the node sees the introductions come from the internet.
 */
public final class Introducer {
  private Introducer() {}

  public static void main(String[] args) throws Exception {
    HostPort node = HostPort.parse(args[0]);
    try (Socket tls = new TlsEndpoint(Identity.generate(), Duration.ofSeconds(10))
        .secureDialled(new Socket(node.host(), node.port()), PeerVerifier.firstUse()).socket()) {
      OutputStream out = tls.getOutputStream();
      out.write(MessageCodec.frame(Hello.of("carol", "introducer", null)));
      out.write(MessageCodec.frame(new Peers(Arrays.asList(args).subList(1, args.length))));
      out.flush();
      System.out.println("introduced");
      Thread.sleep(4000);
    }
  }
}
