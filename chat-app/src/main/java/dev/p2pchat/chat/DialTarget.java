package dev.p2pchat.chat;

import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.trust.Fingerprint;
import dev.p2pchat.chat.trust.ShareToken;
import dev.p2pchat.chat.trust.TokenFormatException;
import dev.p2pchat.protocol.HostPort;
import java.util.Optional;

/**
 * What the user gives {@code /connect} or {@code --connect}: a share token
 * ({@code IP:PORT#FINGERPRINT}), which pins the peer's key, or a bare {@code IP:PORT}, which
 * trusts it on first use.
 */
record DialTarget(HostPort address, Optional<Fingerprint> fingerprint) {
  /** Reads a token or a bare address; throws with a sentence for the user. */
  static DialTarget parse(String typed) throws TokenFormatException {
    String text = typed.strip();
    if (text.indexOf('#') >= 0) {
      ShareToken token = ShareToken.parse(text);
      return new DialTarget(token.address(), Optional.of(token.fingerprint()));
    }
    Optional<String> problem = HostPort.problem(text);
    if (problem.isPresent()) throw new TokenFormatException(problem.get());
    return new DialTarget(HostPort.parse(text), Optional.empty());
  }

  @Override
  public String toString() {
    return address + fingerprint.map(f -> "#" + f).orElse("");
  }

  /** Dials it; {@code origin} is said after the address, e.g. " (from the pasted share line)". */
  void dial(Node node, String origin) {
    node.connect(address, fingerprint, origin);
  }
}
