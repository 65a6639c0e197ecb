package dev.p2pchat.protocol;

/**
 * The first message from each side of a connection. It names no node: a node is its TLS
 * certificate's key, which the session already proved, so a peer cannot claim another's.
 *
 * @param protocolVersion {@code MAJOR.MINOR}, see {@link ProtocolVersion}; any string of 1-16
 *     characters decodes, and {@link ProtocolVersion#check} decides whether it is spoken here
 * @param nick the user's nickname, see {@link Nicknames}
 * @param appVersion the software's name or version, 1-64 characters
 * @param address the node's shareable external {@code host:port}, or null if it has none
 */
public record Hello(String protocolVersion, String nick, String appVersion,
    String address) implements Message {
  public static final String TYPE = "hello";

  public Hello {
    // Any short version string decodes, so that ProtocolVersion.check can answer the peer with
    // unsupported-version rather than a field error.
    Check.nonEmptyText("protocolVersion", protocolVersion, ProtocolVersion.MAX_LENGTH, false);
    Check.nick("nick", nick);
    Check.nonEmptyText("appVersion", appVersion, Limits.MAX_APP_VERSION_LENGTH, false);
    if (address != null) {
      Check.address("address", address);
    }
  }

  /** A hello for this node, speaking {@link ProtocolVersion#CURRENT}. */
  public static Hello of(String nick, String appVersion, String address) {
    return new Hello(ProtocolVersion.CURRENT, nick, appVersion, address);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
