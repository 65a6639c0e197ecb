package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPv4 default gateway from the operating system's routing table: the home router, where
 * NAT-PMP and PCP are asked (RFC 6886 3: "the client ... sends to the default gateway").
 *
 * <p>Linux lists routes in {@code /proc/net/route}. Other systems have no such file: macOS and
 * the BSDs answer {@code route -n get default} (a {@code PF_ROUTE} / {@code NET_RT_DUMP}
 * sysctl underneath), Windows {@code GetIpForwardTable2} ({@code route print}). Those are not
 * read here: there {@link #ipv4()} is empty and only UPnP, which needs no gateway address, is
 * tried.
 */
public final class DefaultGateway {
  private static final Logger log = LoggerFactory.getLogger(DefaultGateway.class);
  private static final Path ROUTE_TABLE = Path.of("/proc/net/route");
  private static final int RTF_UP = 0x1;
  private static final int RTF_GATEWAY = 0x2;
  /** A route table is a few lines per route; more than this is not one. */
  private static final long MAX_TABLE_BYTES = 1 << 20;

  private DefaultGateway() {}

  /** The default gateway of this host's own routing table, or empty when there is none or it can't be read. */
  public static Optional<InetAddress> ipv4() {
    try {
      if (!Files.isReadable(ROUTE_TABLE) || Files.size(ROUTE_TABLE) > MAX_TABLE_BYTES) {
        return Optional.empty();
      }
      return parse(Files.readString(ROUTE_TABLE, StandardCharsets.ISO_8859_1), ByteOrder.nativeOrder());
    } catch (IOException e) {
      log.debug("cannot read {}: {}", ROUTE_TABLE, e.toString());
      return Optional.empty();
    }
  }

  /**
   * The gateway of the up default route (destination and mask 0, flags up and gateway) with the
   * lowest metric in the text of {@code /proc/net/route}, whose hex addresses are in the
   * kernel's byte {@code order}.
   */
  public static Optional<InetAddress> parse(String table, ByteOrder order) {
    InetAddress best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : table.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || f[0].equals("Iface")) continue;
      try {
        int flags = Integer.parseInt(f[3], 16);
        long metric = Long.parseLong(f[6]);
        if (Long.parseLong(f[1], 16) != 0 || Long.parseLong(f[7], 16) != 0
            || (flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY) || metric >= bestMetric) {
          continue;
        }
        InetAddress gateway = address(f[2], order);
        if (gateway.isAnyLocalAddress()) continue;
        best = gateway;
        bestMetric = metric;
      } catch (NumberFormatException | UnknownHostException e) {
        log.debug("skipping unreadable route line: {}", line);
      }
    }
    return Optional.ofNullable(best);
  }

  private static InetAddress address(String hex, ByteOrder order) throws UnknownHostException {
    if (hex.length() != 8) throw new NumberFormatException(hex);
    int value = (int) Long.parseLong(hex, 16);
    byte[] bytes = ByteBuffer.allocate(4).order(order).putInt(value).array();
    return (Inet4Address) InetAddress.getByAddress(bytes);
  }
}
