package dev.p2pchat.upnp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mappings this host made in earlier runs, and the external port used last time. A process
 * killed with {@code kill -9} leaves its mapping up until the lease ends (an hour), and each
 * restart on a random port would add one more. So a start first looks for mappings to our
 * address and internal port with our description, keeps one and deletes the rest; and it asks
 * for the external port used last time (remembered in a small file beside the remembered
 * router, one {@code PROTOCOL INTERNAL EXTERNAL} line per internal port), so an address a friend
 * saved keeps working.
 */
final class EarlierMappings {
  private static final Logger log = LoggerFactory.getLogger(EarlierMappings.class);
  /** Lines kept in the file: one per protocol and internal port used lately. */
  private static final int MAX_LINES = 16;
  private static final long MAX_BYTES = 1024;

  private EarlierMappings() {}

  /**
   * The external port to ask for: the one used last time when it is ours or free (unless
   * {@code explicit}: then {@code preferred} is what the caller wants), else one of ours left by
   * an earlier run, else {@code preferred}. Our other mappings are deleted. Failures to list or
   * delete are logged: the mapping is made all the same.
   */
  static int choosePort(Gateway gateway, Protocol protocol, int internalPort, int preferred,
      boolean explicit, String description, Path memory) {
    int last = explicit ? preferred : lastPort(memory, protocol, internalPort);
    List<PortMappingEntry> ours = new ArrayList<>();
    boolean lastIsFree = true;
    String client = gateway.localAddress().getHostAddress();
    try {
      for (PortMappingEntry e : gateway.portMappings()) {
        boolean mine = e.sameHolder(
            PortMappingEntry.of(protocol, e.externalPort(), client, internalPort, description, 0));
        if (mine) ours.add(e);
        if (e.protocol() == protocol && e.externalPort() == last && !mine) lastIsFree = false;
      }
    } catch (IOException e) {
      log.info("could not list the router's mappings to find our earlier ones: {}", e.getMessage());
      return last > 0 ? last : preferred;
    }
    int keep;
    if (last > 0 && lastIsFree) {
      keep = last;
    } else if (!ours.isEmpty()) {
      keep = ours.stream().anyMatch(e -> e.externalPort() == preferred) ? preferred
          : ours.get(0).externalPort();
    } else {
      keep = preferred;
    }
    for (PortMappingEntry e : ours) {
      if (e.externalPort() == keep) continue;
      log.info("deleting {} port {} -> {}:{}, left by an earlier run", protocol,
          e.externalPort(), client, internalPort);
      try {
        gateway.deletePortMapping(e.externalPort(), protocol);
      } catch (IOException failure) {
        log.info("could not delete it: {}", failure.getMessage());
      }
    }
    return keep;
  }

  /** The external port remembered for {@code protocol} and {@code internalPort}, or 0. */
  static int lastPort(Path memory, Protocol protocol, int internalPort) {
    for (String line : lines(memory)) {
      String[] fields = line.split(" ");
      if (fields.length == 3 && fields[0].equals(protocol.name())
          && fields[1].equals(Integer.toString(internalPort))) {
        try {
          int port = Integer.parseInt(fields[2]);
          if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
          // a garbled line is no memory
        }
      }
    }
    return 0;
  }

  /** Remembers {@code externalPort} for {@code protocol} and {@code internalPort}; logs failure. */
  static void remember(Path memory, Protocol protocol, int internalPort, int externalPort) {
    String key = protocol.name() + " " + internalPort + " ";
    List<String> kept = new ArrayList<>();
    kept.add(key + externalPort);
    for (String line : lines(memory)) {
      if (!line.startsWith(key) && kept.size() < MAX_LINES) kept.add(line);
    }
    try {
      RememberedGateway.write(memory, String.join("\n", kept) + "\n");
    } catch (IOException e) {
      log.info("could not remember the external port in {}: {}", memory, e.toString());
    }
  }

  private static List<String> lines(Path memory) {
    try {
      if (Files.size(memory) > MAX_BYTES) {
        log.info("ignoring {}: over {} bytes", memory, MAX_BYTES);
        return List.of();
      }
      return Files.readAllLines(memory, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      log.info("ignoring {}: {}", memory, e.toString());
      return List.of();
    }
  }
}
