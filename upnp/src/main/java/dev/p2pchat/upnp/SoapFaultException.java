package dev.p2pchat.upnp;

/**
 * The router refused an action with a SOAP fault carrying a UPnP error, e.g. {@code 718
 * ConflictInMappingEntry}.
 */
public final class SoapFaultException extends UpnpException {
  /** 402: the arguments were not accepted. */
  public static final int INVALID_ARGS = 402;
  /** 501: the action failed on the router. */
  public static final int ACTION_FAILED = 501;
  /** 606: the router requires authorization for the action. */
  public static final int ACTION_NOT_AUTHORIZED = 606;
  /** 713: {@code GetGenericPortMappingEntry} index past the end. */
  public static final int SPECIFIED_ARRAY_INDEX_INVALID = 713;
  /** 714: no such mapping. */
  public static final int NO_SUCH_ENTRY_IN_ARRAY = 714;
  /** 718: the external port is mapped to another client. */
  public static final int CONFLICT_IN_MAPPING_ENTRY = 718;
  /** 724: the router needs the external and internal ports to be equal. */
  public static final int SAME_PORT_VALUES_REQUIRED = 724;
  /** 725: the router only supports permanent (lease 0) mappings. */
  public static final int ONLY_PERMANENT_LEASES_SUPPORTED = 725;

  /** The refused action. */
  private final String action;
  /** The UPnP error code, or -1. */
  private final int errorCode;
  /** The router's error text. */
  private final String errorDescription;

  SoapFaultException(String router, String action, int errorCode, String errorDescription) {
    super("router at " + router + " refused " + action + ": " + errorCode
        + (errorDescription.isEmpty() ? "" : " " + errorDescription));
    this.action = action;
    this.errorCode = errorCode;
    this.errorDescription = errorDescription;
  }

  /** The UPnP error code, e.g. 718; -1 when the fault carried none. */
  public int errorCode() {
    return errorCode;
  }

  /** The router's error text, e.g. {@code ConflictInMappingEntry}; may be empty. */
  public String errorDescription() {
    return errorDescription;
  }

  /** The refused action, e.g. {@code AddPortMapping}. */
  public String action() {
    return action;
  }
}
