package dev.p2pchat.upnp.natpmp;

import java.io.IOException;

/**
 * The router refused a PCP request: the result code, a message for people, and how long the
 * router says the refusal holds (RFC 6887 7.2: the lifetime of an error answer).
 */
public final class PcpException extends IOException {
  private final PcpResultCode resultCode;
  private final int rawCode;
  private final long lifetimeSeconds;

  PcpException(String router, int rawCode, long lifetimeSeconds) {
    super("router at " + router + " refused the PCP request: " + PcpResultCode.of(rawCode).meaning()
        + " (" + PcpResultCode.of(rawCode).name() + ", result code " + rawCode + ")");
    this.resultCode = PcpResultCode.of(rawCode);
    this.rawCode = rawCode;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  /** The result code; {@link PcpResultCode#UNKNOWN} for one RFC 6887 does not define. */
  public PcpResultCode resultCode() {
    return resultCode;
  }

  /** The result code as the router sent it. */
  public int rawCode() {
    return rawCode;
  }

  /** For how many seconds the router says asking again would be refused the same way. */
  public long lifetimeSeconds() {
    return lifetimeSeconds;
  }
}
