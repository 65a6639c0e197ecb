package dev.p2pchat.chat.trust;

/** Text a person typed or pasted (a fingerprint, a share token) is not what it should be. */
public final class TokenFormatException extends Exception {
  public TokenFormatException(String message) {
    super(message);
  }
}
