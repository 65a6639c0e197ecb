package dev.p2pchat.chat.trust;

/** This node refused the peer's key; {@link #verdict()} says why and what the user can do. */
public final class PeerRefusedException extends TlsHandshakeException {
  private final Verdict verdict;

  PeerRefusedException(Verdict verdict) {
    super(verdict.message());
    this.verdict = verdict;
  }

  public Verdict verdict() {
    return verdict;
  }
}
