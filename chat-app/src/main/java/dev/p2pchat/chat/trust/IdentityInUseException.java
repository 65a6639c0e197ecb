package dev.p2pchat.chat.trust;

import java.io.IOException;

/** The identity asked for is held by another running node of this user. */
public final class IdentityInUseException extends IOException {
  IdentityInUseException(String message) {
    super(message);
  }
}
