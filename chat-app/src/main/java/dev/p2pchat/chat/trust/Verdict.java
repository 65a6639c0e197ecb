package dev.p2pchat.chat.trust;

import java.util.Optional;

/**
 * What the node decided about the key a peer presented in the TLS handshake, with a message for
 * the user. Only {@link Kind#REFUSE_MISMATCH} ends the connection, before any frame is sent.
 */
public record Verdict(Kind kind, Fingerprint presented, Optional<Fingerprint> expected,
    String message) {
  public enum Kind {
    /** The key is the one expected: from a pasted token, or remembered for this peer. */
    ACCEPT_KNOWN,
    /** Nothing was expected: trusted on first use, the user is shown it to compare. */
    ACCEPT_NEW,
    /** Another key was expected; the connection is refused. */
    REFUSE_MISMATCH,
  }

  public static Verdict known(Fingerprint presented) {
    return new Verdict(Kind.ACCEPT_KNOWN, presented, Optional.of(presented),
        "peer's key " + presented.shortForm() + " is the one expected");
  }

  public static Verdict firstUse(Fingerprint presented) {
    return new Verdict(Kind.ACCEPT_NEW, presented, Optional.empty(),
        "new peer, fingerprint " + presented + ": compare it with the fingerprint the peer"
            + " sees for itself (by phone, in person) before you trust what they say");
  }

  /**
   * A peer at {@code where} presented {@code presented} where {@code expected} was expected, as
   * {@code because} says (such as "the token you pasted").
   */
  public static Verdict mismatch(String where, Fingerprint presented, Fingerprint expected,
      String because) {
    return new Verdict(Kind.REFUSE_MISMATCH, presented, Optional.of(expected),
        "WARNING: the peer at " + where + " presented a different key than expected!\n"
            + "  expected (" + because + "): " + expected + "\n"
            + "  presented: " + presented + "\n"
            + "Someone may be pretending to be this peer, or the peer has a new identity. The"
            + " connection was refused and nothing was sent. Ask the peer for their fingerprint"
            + " by another way (phone, in person); only if it is the presented one, accept it"
            + " with /trust " + presented);
  }

  public boolean accepted() {
    return kind != Kind.REFUSE_MISMATCH;
  }
}
