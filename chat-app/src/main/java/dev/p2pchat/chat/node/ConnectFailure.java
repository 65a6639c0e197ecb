package dev.p2pchat.chat.node;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Why dialling a peer failed, as far as the error tells, with a hint for the user saying what it
 * likely means and what to try: {@code ! could not connect to 5.6.7.2:48083: connection refused
 * — HINT}.
 */
public enum ConnectFailure {
  /** Reset or refused: at home, their router answers for a port it does not forward. */
  REFUSED("nothing accepted the connection there: is their p2p-chat running, and is the port the one"
      + " on their latest \"Share this address\" line? If their router does not forward it,"
      + " ask them to /connect to you instead"),
  TIMED_OUT("no answer at all: the address may be wrong or out of date, or a firewall drops the"
      + " connection; check the address with them, or ask them to /connect to you"),
  HOST_UNREACHABLE("that computer cannot be reached: the address may be wrong or out of date, or a"
      + " firewall rejects the connection; check the address with them"),
  NETWORK_UNREACHABLE("your computer has no route to that network: check your own connection (an"
      + " IPv6 address needs IPv6 on your side too)"),
  UNKNOWN_HOST("no such host name: check its spelling, or use the IP address from their \"Share"
      + " this address\" line"),
  RESET("the other side closed the connection at once: the port may belong to another program, or"
      + " a firewall cuts it; check the port with them");

  private final String hint;

  ConnectFailure(String hint) {
    this.hint = hint;
  }

  /** What it likely means and what to try, in one line. */
  public String hint() {
    return hint;
  }

  /** The failure {@code e} (thrown by connecting a socket) stands for, if it is a known one. */
  public static Optional<ConnectFailure> of(IOException e) {
    if (e instanceof UnknownHostException) return Optional.of(UNKNOWN_HOST);
    if (e instanceof SocketTimeoutException) return Optional.of(TIMED_OUT);
    if (e instanceof NoRouteToHostException) return Optional.of(HOST_UNREACHABLE);
    String message = e.getMessage();
    if (message == null) return e instanceof ConnectException ? Optional.of(REFUSED) : Optional.empty();
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("connection refused")) return Optional.of(REFUSED);
    if (lower.contains("timed out")) return Optional.of(TIMED_OUT);
    if (lower.contains("no route to host") || lower.contains("host is unreachable")) {
      return Optional.of(HOST_UNREACHABLE);
    }
    if (lower.contains("network is unreachable")) return Optional.of(NETWORK_UNREACHABLE);
    if (lower.startsWith("connection reset")) return Optional.of(RESET);
    return Optional.empty();
  }
}
