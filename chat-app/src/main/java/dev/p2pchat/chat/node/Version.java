package dev.p2pchat.chat.node;

/** This build's version, from the jar manifest. */
public final class Version {
  private Version() {}

  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return "p2p-chat " + (v == null ? "dev" : v);
  }
}
