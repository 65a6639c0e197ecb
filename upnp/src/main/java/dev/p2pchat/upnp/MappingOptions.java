package dev.p2pchat.upnp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link PortMapping} is requested and kept alive.
 *
 * @param description shown by {@code upnpc -l} so people can tell whose mapping it is
 * @param lease lease asked of the router (renewed at half-time); zero asks for a permanent one
 * @param checkInterval how often to check that the router still has the mapping (a rebooted
 *     router forgets all mappings) and whether its external address changed
 * @param memory where the external port used is remembered for the next start, which also
 *     looks for mappings left by earlier runs (see {@link EarlierMappings}); null for neither
 */
public record MappingOptions(String description, Duration lease, Duration checkInterval,
    Path memory) {
  /** The longest lease UPnP can express (a ui4 of seconds); we cap at int range. */
  private static final long MAX_LEASE_SECONDS = Integer.MAX_VALUE;

  /** Checks the values; a lease is whole seconds, 0 (permanent) or from 1 s. */
  public MappingOptions {
    if (description == null) throw new IllegalArgumentException("description is required");
    if (lease == null || lease.isNegative() || lease.getSeconds() > MAX_LEASE_SECONDS) {
      throw new IllegalArgumentException("lease must be 0 to " + MAX_LEASE_SECONDS + " s: " + lease);
    }
    if (!lease.isZero() && lease.getSeconds() < 1) {
      throw new IllegalArgumentException("lease must be whole seconds, at least 1 s: " + lease);
    }
    if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be > 0: " + checkInterval);
    }
  }

  /** Options remembering nothing between runs. */
  public MappingOptions(String description, Duration lease, Duration checkInterval) {
    this(description, lease, checkInterval, null);
  }

  /** {@code p2p-chat}, a 1 hour lease, a check every 30 s, nothing remembered. */
  public static MappingOptions defaults() {
    return new MappingOptions("p2p-chat", Duration.ofHours(1), Duration.ofSeconds(30));
  }

  /**
   * The file the external ports used are remembered in for the current user: {@code ports}
   * beside {@link GatewayFinder#userCacheFile()}.
   */
  public static Path userCacheFile() {
    return GatewayFinder.userCacheFile().resolveSibling("ports");
  }

  /** These options with another description. */
  public MappingOptions withDescription(String text) {
    return new MappingOptions(text, lease, checkInterval, memory);
  }

  /** These options with another lease. */
  public MappingOptions withLease(Duration d) {
    return new MappingOptions(description, d, checkInterval, memory);
  }

  /** These options with another check interval. */
  public MappingOptions withCheckInterval(Duration d) {
    return new MappingOptions(description, lease, d, memory);
  }

  /** These options remembering the external port in {@code file} (null: nowhere). */
  public MappingOptions remembered(Path file) {
    return new MappingOptions(description, lease, checkInterval, file);
  }
}
