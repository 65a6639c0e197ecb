package dev.p2pchat.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One peer in a {@code peers} message: where it listens and the fingerprint of its key, written
 * {@code 203.0.113.7:4000#P56IOI7-MZJNU2Y-…-XZWICQ2}, so the node dialling it accepts only that
 * key. Only the fingerprint's written form is checked here (eight dash-separated groups of seven
 * base32 characters); its check characters are the chat node's business.
 */
public record Introduction(HostPort address, String fingerprint) {
  private static final Pattern FINGERPRINT = Pattern.compile("[A-Z2-7]{7}(?:-[A-Z2-7]{7}){7}");

  public Introduction {
    if (address == null) {
      throw new IllegalArgumentException("address is missing");
    }
    if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
      throw new IllegalArgumentException("fingerprint " + Check.quote(String.valueOf(fingerprint))
          + " is not eight groups of seven base32 characters joined by '-'");
    }
  }

  /** Parses {@code host:port#FINGERPRINT}, else throws IllegalArgumentException. */
  public static Introduction parse(String text) {
    int hash = text.lastIndexOf('#');
    if (hash < 0) {
      throw new IllegalArgumentException(Check.quote(text) + " has no #fingerprint");
    }
    return new Introduction(HostPort.parse(text.substring(0, hash)), text.substring(hash + 1));
  }

  /** Returns empty if {@code text} parses, else a human sentence saying why not. */
  public static Optional<String> problem(String text) {
    try {
      parse(text);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public String toString() {
    return address + "#" + fingerprint;
  }
}
