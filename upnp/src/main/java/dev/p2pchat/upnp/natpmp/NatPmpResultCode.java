package dev.p2pchat.upnp.natpmp;

/** RFC 6886 3.5's result codes, each with what it means for the user. */
public enum NatPmpResultCode {
  SUCCESS(0, "success"),
  UNSUPPORTED_VERSION(1, "the router does not speak NAT-PMP version 0"),
  NOT_AUTHORIZED(2, "the router refused: NAT-PMP mapping is switched off on it, or this host may"
      + " not map that port"),
  NETWORK_FAILURE(3, "the router's internet connection is not up (it has no external address"
      + " yet)"),
  OUT_OF_RESOURCES(4, "the router has no room for another mapping"),
  UNSUPPORTED_OPCODE(5, "the router does not support this request"),
  /** A code RFC 6886 does not define. */
  UNKNOWN(-1, "the router answered with an unknown result code");

  private final int code;
  private final String meaning;

  NatPmpResultCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The code as sent, or -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** What the code means for the user, e.g. "the router has no room for another mapping". */
  public String meaning() {
    return meaning;
  }

  static NatPmpResultCode of(int code) {
    for (NatPmpResultCode c : values()) {
      if (c.code == code) return c;
    }
    return UNKNOWN;
  }
}
