package dev.p2pchat.chat.trust;

import dev.p2pchat.protocol.HostPort;

/**
 * What one node gives another to connect to exactly it: its address and fingerprint as one
 * token, {@code 5.6.7.1:48083#P56IOI7-MZJNU2Y-…}, or {@code [2001:db8::1]:48083#…} for IPv6.
 */
public record ShareToken(HostPort address, Fingerprint fingerprint) {
  public ShareToken {
    if (address == null || fingerprint == null) {
      throw new IllegalArgumentException("a share token needs an address and a fingerprint");
    }
  }

  /** Reads {@code HOST:PORT#FINGERPRINT}; the fingerprint as {@link Fingerprint#parse} reads it. */
  public static ShareToken parse(String typed) throws TokenFormatException {
    String text = typed.strip();
    int hash = text.indexOf('#');
    if (hash < 0) {
      throw new TokenFormatException("\"" + text + "\" has no fingerprint: expected"
          + " address#fingerprint, as the other node's share line shows it");
    }
    HostPort address;
    try {
      address = HostPort.parse(text.substring(0, hash));
    } catch (IllegalArgumentException e) {
      throw new TokenFormatException(e.getMessage());
    }
    return new ShareToken(address, Fingerprint.parse(text.substring(hash + 1)));
  }

  @Override
  public String toString() {
    return address + "#" + fingerprint;
  }
}
