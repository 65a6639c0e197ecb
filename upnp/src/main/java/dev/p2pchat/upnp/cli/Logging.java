package dev.p2pchat.upnp.cli;

/**
 * Sets up slf4j-simple, the binding shaded into the tool's jar, before anything logs: warnings
 * only, or with {@code -v} everything down to debug with the milliseconds since start, so the
 * exchange with the router and its timing show. Settings given with {@code -D} win.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void configure(boolean verbose) {
    // the binding shaded into the jar, named as slf4j 2 allows, rather than searched for
    setDefault("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider", "");
    setDefault("slf4j.internal.verbosity", "WARN", "");
    setDefault("defaultLogLevel", verbose ? "debug" : "warn");
    setDefault("logFile", "System.err");
    setDefault("showDateTime", Boolean.toString(verbose));
    setDefault("showThreadName", "false");
    setDefault("showShortLogName", "true");
    setDefault("levelInBrackets", "true");
  }

  private static void setDefault(String key, String value) {
    setDefault(key, value, PREFIX);
  }

  private static void setDefault(String key, String value, String prefix) {
    if (System.getProperty(prefix + key) == null) System.setProperty(prefix + key, value);
  }
}
