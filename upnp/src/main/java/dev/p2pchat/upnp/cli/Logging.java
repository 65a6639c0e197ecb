package dev.p2pchat.upnp.cli;

import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Sets up slf4j-simple, the binding shaded into the tool's jar, before anything logs: warnings
 * only, or with {@code -v} everything down to debug with the milliseconds since start, so the
 * exchange with the router and its timing show. Settings given with {@code -D} win; a
 * {@code simplelogger.properties} is not looked for.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void configure(boolean verbose) {
    // Naming the binding skips slf4j's ServiceLoader scan of the class path at start-up.
    setDefault("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider", "");
    setDefault("slf4j.internal.verbosity", "WARN", "");
    setDefault("defaultLogLevel", verbose ? "debug" : "warn");
    setDefault("logFile", "System.err");
    setDefault("showDateTime", Boolean.toString(verbose));
    setDefault("showThreadName", "false");
    setDefault("showShortLogName", "true");
    setDefault("levelInBrackets", "true");
    start();
  }

  /**
   * Starts slf4j now, with a context class loader that has no resources: slf4j-simple looks for
   * its {@code simplelogger.properties} through that loader, and the system class loader would
   * first search every module of the JDK for it (about 5 ms of a command's start).
   */
  private static void start() {
    Thread thread = Thread.currentThread();
    ClassLoader contextLoader = thread.getContextClassLoader();
    thread.setContextClassLoader(new ClassLoader(null) {
      @Override
      public URL getResource(String name) {
        return null;
      }
    });
    try {
      LoggerFactory.getILoggerFactory();
    } finally {
      thread.setContextClassLoader(contextLoader);
    }
  }

  private static void setDefault(String key, String value) {
    setDefault(key, value, PREFIX);
  }

  private static void setDefault(String key, String value, String prefix) {
    if (System.getProperty(prefix + key) == null) System.setProperty(prefix + key, value);
  }
}
