package dev.p2pchat.upnp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last gateway found, kept as its LOCATION in a one-line file so the next start can try it at
 * once beside the search, the way miniupnpc asks minissdpd's cache. The file is only a hint: what
 * it says must pass the rule an SSDP answer's LOCATION passes, and the router is confirmed before
 * use.
 */
final class RememberedGateway {
  private static final Logger log = LoggerFactory.getLogger(RememberedGateway.class);
  /** A LOCATION is a short URL; a bigger file is not ours. */
  private static final int MAX_BYTES = 2048;

  private RememberedGateway() {}

  /**
   * The LOCATION remembered in {@code file}, if it is one a search to {@code target} could have
   * found: http, an IP literal, on the searched network. Else null, the reason logged; a missing
   * file is no reason to log.
   */
  static URI load(Path file, InetSocketAddress target) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      log.info("ignoring the remembered gateway: cannot read {}: {}", file, e.toString());
      return null;
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1).trim();
    URI location;
    try {
      location = bytes.length > MAX_BYTES ? null : new URI(text);
    } catch (URISyntaxException e) {
      location = null;
    }
    InetAddress host = location == null ? null : IpLiteral.parse(location.getHost());
    if (host == null || !"http".equalsIgnoreCase(location.getScheme())) {
      log.info("ignoring {}: not an http:// URL on an IP address", file);
      return null;
    }
    try {
      if (!SsdpSearch.isSearchedNetwork(host, target)) {
        log.info("ignoring the remembered gateway {}: not on a network searched now", location);
        return null;
      }
    } catch (IOException e) {
      log.info("ignoring the remembered gateway: cannot list network interfaces: {}", e.toString());
      return null;
    }
    return location;
  }

  /** Writes {@code location} to {@code file} atomically; a failure is logged, not thrown. */
  static void save(Path file, URI location) {
    Path directory = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
      try {
        Files.writeString(temporary, location + "\n", StandardCharsets.ISO_8859_1);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
      log.debug("remembered gateway {} in {}", location, file);
    } catch (IOException e) {
      log.info("could not remember the gateway in {}: {}", file, e.toString());
    }
  }
}
