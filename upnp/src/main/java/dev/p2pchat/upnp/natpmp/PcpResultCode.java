package dev.p2pchat.upnp.natpmp;

/** RFC 6887 7.4's result codes, each with what it means for the user. */
public enum PcpResultCode {
  SUCCESS(0, "success"),
  UNSUPP_VERSION(1, "the router does not speak PCP version 2"),
  NOT_AUTHORIZED(2, "the router refused: PCP mapping is switched off on it, or this host may not"
      + " map that port"),
  MALFORMED_REQUEST(3, "the router could not read our request"),
  UNSUPP_OPCODE(4, "the router does not support this request"),
  UNSUPP_OPTION(5, "the router does not support an option we sent"),
  MALFORMED_OPTION(6, "the router could not read an option we sent"),
  NETWORK_FAILURE(7, "the router's internet connection is not up (it has no external address"
      + " yet)"),
  NO_RESOURCES(8, "the router has no room for another mapping"),
  UNSUPP_PROTOCOL(9, "the router cannot map this transport protocol"),
  USER_EX_QUOTA(10, "this host already has as many mappings as the router allows it"),
  CANNOT_PROVIDE_EXTERNAL(11, "the router cannot give the external address or port asked for"),
  ADDRESS_MISMATCH(12, "the router saw our request come from another address than the one in it:"
      + " there is another NAT between this host and the router"),
  EXCESSIVE_REMOTE_PEERS(13, "the router cannot add more remote peers"),
  /** A code RFC 6887 does not define. */
  UNKNOWN(-1, "the router answered with an unknown result code");

  private final int code;
  private final String meaning;

  PcpResultCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The code as sent, or -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** What the code means for the user. */
  public String meaning() {
    return meaning;
  }

  static PcpResultCode of(int code) {
    for (PcpResultCode c : values()) {
      if (c.code == code) return c;
    }
    return UNKNOWN;
  }
}
