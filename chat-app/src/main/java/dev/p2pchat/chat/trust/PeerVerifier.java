package dev.p2pchat.chat.trust;

/**
 * The node's decision about the key a peer presents, asked once per connection during the TLS
 * handshake. It must not block: it runs on the handshaking thread.
 */
@FunctionalInterface
public interface PeerVerifier {
  Verdict verify(Fingerprint presented);

  /** Accepts only {@code expected}, as {@code because} says (such as "the token you pasted"). */
  static PeerVerifier expecting(String where, Fingerprint expected, String because) {
    return presented -> presented.equals(expected)
        ? Verdict.known(presented)
        : Verdict.mismatch(where, presented, expected, because);
  }

  /** Accepts any key as new: trust on first use. */
  static PeerVerifier firstUse() {
    return Verdict::firstUse;
  }
}
