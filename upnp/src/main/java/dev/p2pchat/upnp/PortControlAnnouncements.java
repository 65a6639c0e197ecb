package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a router multicasts to 224.0.0.1:5350 when it restarts or its external address changes:
 * a PCP ANNOUNCE (RFC 6887 14.1.3) or a NAT-PMP address notice (RFC 6886 3.2.1). Either way a
 * node without a mapping should ask again now, and one with a mapping should check it.
 */
final class PortControlAnnouncements {
  private static final Logger log = LoggerFactory.getLogger(PortControlAnnouncements.class);
  /** All hosts, port 5350: where RFC 6886 and RFC 6887 routers announce. */
  static final InetSocketAddress MULTICAST = new InetSocketAddress("224.0.0.1", 5350);

  private PortControlAnnouncements() {}

  /** Calls {@code onAnnouncement} for each announcement {@code router} sends to {@code listenOn}. */
  static RouterAnnouncements start(InetSocketAddress listenOn, InetAddress localAddress,
      InetAddress router, Runnable onAnnouncement) throws IOException {
    return RouterAnnouncements.start(listenOn, localAddress, router, "pcp-announcements",
        datagram -> {
          if (isAnnouncement(datagram)) {
            log.debug("router at {} announced a restart or a new address", router.getHostAddress());
            onAnnouncement.run();
          }
        });
  }

  /** A PCP ANNOUNCE answer (version 2, opcode 0x80) or a NAT-PMP address answer (0, 128). */
  static boolean isAnnouncement(ByteBuffer datagram) {
    int length = datagram.position();
    if (length >= 24 && datagram.get(0) == 2 && (datagram.get(1) & 0xff) == 0x80) return true;
    return length >= 12 && datagram.get(0) == 0 && (datagram.get(1) & 0xff) == 128;
  }
}
