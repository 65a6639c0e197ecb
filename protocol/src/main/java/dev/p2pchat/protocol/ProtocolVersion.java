package dev.p2pchat.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Protocol versions are {@code MAJOR.MINOR}. Peers with the same MAJOR understand each other: a
 * newer MINOR only adds fields (which older peers ignore) and message types (which older peers
 * answer with {@code unknown-type}). A peer whose MAJOR differs gets an {@code unsupported-version}
 * error and the connection closes.
 */
public final class ProtocolVersion {
  /** The version this node speaks. */
  public static final String CURRENT = "2.0";
  /** Longest version string a {@code hello} may carry. */
  public static final int MAX_LENGTH = 16;

  private static final Pattern WELL_FORMED =
      Pattern.compile("(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})");

  private ProtocolVersion() {}

  /** True if {@code version} is well formed and its MAJOR is the one this node speaks. */
  public static boolean isSupported(String version) {
    return version != null && WELL_FORMED.matcher(version).matches()
        && major(version) == major(CURRENT);
  }

  /**
   * Decides the handshake: empty if this node can talk to the sender of {@code peerHello}, else
   * the {@code unsupported-version} error to send before closing.
   */
  public static Optional<ErrorMessage> check(Hello peerHello) {
    if (isSupported(peerHello.protocolVersion())) {
      return Optional.empty();
    }
    return Optional.of(new ErrorMessage(ErrorCode.UNSUPPORTED_VERSION, "protocol version "
        + Check.quote(peerHello.protocolVersion()) + " is not supported; this node speaks "
        + CURRENT + " (major version " + major(CURRENT) + ")"));
  }

  private static int major(String version) {
    return Integer.parseInt(version.substring(0, version.indexOf('.')));
  }
}
