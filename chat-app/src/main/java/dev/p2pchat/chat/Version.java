package dev.p2pchat.chat;

/** This build's version, from the jar manifest. */
final class Version {
  private Version() {}

  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return "p2p-chat " + (v == null ? "dev" : v);
  }
}
