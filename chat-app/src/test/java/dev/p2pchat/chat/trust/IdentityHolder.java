package dev.p2pchat.chat.trust;

import java.nio.file.Path;

/**
 * Another node's process, as far as identities go: claims the default identity under the data
 * directory given as argument, prints its fingerprint and holds it until its input ends.
 */
public final class IdentityHolder {
  private IdentityHolder() {}

  public static void main(String[] args) throws Exception {
    try (IdentityDirectory held = IdentityDirectory.claimDefault(Path.of(args[0]))) {
      System.out.println(held.identity().fingerprint());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the test closes our input
      }
    }
  }
}
