package dev.p2pchat.upnp.natpmp;

import java.io.IOException;

/** The router refused a NAT-PMP request: the result code, and a message for people. */
public final class NatPmpException extends IOException {
  private final NatPmpResultCode resultCode;
  private final int rawCode;

  NatPmpException(String router, int rawCode) {
    super("router at " + router + " refused the NAT-PMP request: " + NatPmpResultCode.of(rawCode).meaning()
        + " (result code " + rawCode + ")");
    this.resultCode = NatPmpResultCode.of(rawCode);
    this.rawCode = rawCode;
  }

  /** The result code; {@link NatPmpResultCode#UNKNOWN} for one RFC 6886 does not define. */
  public NatPmpResultCode resultCode() {
    return resultCode;
  }

  /** The result code as the router sent it. */
  public int rawCode() {
    return rawCode;
  }
}
