package dev.p2pchat.upnp;

/**
 * The answer to {@code GetStatusInfo}.
 *
 * @param status e.g. {@code Connected}, {@code Disconnected}, {@code Connecting}
 * @param lastError e.g. {@code ERROR_NONE}
 * @param uptimeSeconds seconds since the WAN connection came up
 */
public record ConnectionStatus(String status, String lastError, long uptimeSeconds) {
  /** Treats missing texts as empty. */
  public ConnectionStatus {
    status = status == null ? "" : status;
    lastError = lastError == null ? "" : lastError;
  }

  /** True when the router says its WAN connection is up. */
  public boolean connected() {
    return status.equalsIgnoreCase("Connected");
  }
}
