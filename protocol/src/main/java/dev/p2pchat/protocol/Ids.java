package dev.p2pchat.protocol;

import java.security.SecureRandom;
import java.util.Base64;

/** Random ids valid as node ids, message ids and ping tokens. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  /** 128 random bits as 22 base64url characters. */
  public static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }
}
