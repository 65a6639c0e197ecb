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
 * The last gateway found, kept in a small text file so the next start can try it at once beside
 * the search, the way miniupnpc asks minissdpd's cache. The first line is the LOCATION (all that
 * older versions wrote; such a file is still read); then, so the next start can go straight to a
 * control action without fetching and parsing the description, the service found there:
 *
 * <pre>
 * http://192.168.1.1:5000/rootDesc.xml
 * service urn:schemas-upnp-org:service:WANIPConnection:2
 * control http://192.168.1.1:5000/ctl/IPConn
 * name MiniUPnPd
 * </pre>
 *
 * The file is only a hint: the LOCATION must pass the rule an SSDP answer's LOCATION passes, the
 * control URL the rule a description's control URL passes, and the router is confirmed before
 * use.
 */
final class RememberedGateway {
  private static final Logger log = LoggerFactory.getLogger(RememberedGateway.class);
  /** A few short lines; a bigger file is not ours. */
  static final int MAX_BYTES = 2048;

  private RememberedGateway() {}

  /**
   * What is remembered of a gateway.
   *
   * @param location its description URL
   * @param service the WAN connection service found there, or null when only the LOCATION is
   *     known (a file written by an older version, or a name that does not fit on one line)
   */
  record Entry(URI location, DeviceDescription service) {
    /** What to remember of {@code gateway}: everything, when it can be written back as read. */
    static Entry of(Gateway gateway) {
      DeviceDescription service = new DeviceDescription(gateway.friendlyName(),
          gateway.serviceType(), gateway.controlUrl());
      Entry full = new Entry(gateway.location(), service);
      boolean fits = isOneLine(service.friendlyName())
          && full.text().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
      return fits ? full : new Entry(gateway.location(), null);
    }

    /** The file's contents. */
    String text() {
      if (service == null) return location + "\n";
      return location + "\nservice " + service.serviceType() + "\ncontrol " + service.controlUrl()
          + "\nname " + service.friendlyName() + "\n";
    }
  }

  /**
   * The gateway remembered in {@code file}, if it is one a search to {@code target} could have
   * found: an http LOCATION on an IP literal on the searched network, and a known service whose
   * control URL is on that host. Else null, the reason logged; a missing file is no reason to
   * log.
   */
  static Entry load(Path file, InetSocketAddress target) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      log.info("ignoring the remembered gateway: cannot read {}: {}", file, e.toString());
      return null;
    }
    Entry entry = bytes.length > MAX_BYTES ? null
        : parse(new String(bytes, StandardCharsets.UTF_8));
    InetAddress host = entry == null ? null : IpLiteral.parse(entry.location().getHost());
    if (host == null) {
      log.info("ignoring {}: not a remembered gateway (an http:// URL on an IP address, then the"
          + " service found there)", file);
      return null;
    }
    try {
      if (!SsdpSearch.isSearchedNetwork(host, target)) {
        log.info("ignoring the remembered gateway {}: not on a network searched now",
            entry.location());
        return null;
      }
    } catch (IOException e) {
      log.info("ignoring the remembered gateway: cannot list network interfaces: {}", e.toString());
      return null;
    }
    return entry;
  }

  /** The entry {@code text} spells, or null when it is not one. */
  private static Entry parse(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) end--;
    String[] lines = text.substring(0, end).split("\n", -1);
    URI location = httpUri(lines[0].strip());
    if (location == null) return null;
    if (lines.length == 1) return new Entry(location, null);
    if (lines.length != 4 || !lines[1].startsWith("service ") || !lines[2].startsWith("control ")
        || !lines[3].startsWith("name ")) {
      return null;
    }
    String serviceType = lines[1].substring("service ".length());
    URI control = httpUri(lines[2].substring("control ".length()));
    String name = lines[3].substring("name ".length());
    if (!DeviceDescription.isDrivable(serviceType) || control == null || !isOneLine(name)) {
      return null;
    }
    DeviceDescription service = new DeviceDescription(name, serviceType, control);
    return service.controlUrlIsOn(location) ? new Entry(location, service) : null;
  }

  private static URI httpUri(String text) {
    try {
      URI uri = new URI(text);
      return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static boolean isOneLine(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) return false;
    }
    return true;
  }

  /** Writes {@code entry} to {@code file} atomically; a failure is logged, not thrown. */
  static void save(Path file, Entry entry) {
    try {
      write(file, entry.text());
      log.debug("remembered gateway {} in {}", entry.location(), file);
    } catch (IOException e) {
      log.info("could not remember the gateway in {}: {}", file, e.toString());
    }
  }

  /** Replaces {@code file} with {@code text}: written beside it and renamed, never seen half. */
  static void write(Path file, String text) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
