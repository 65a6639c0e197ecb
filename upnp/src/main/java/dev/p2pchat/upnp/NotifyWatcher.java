package dev.p2pchat.upnp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for the router's SSDP {@code NOTIFY ssdp:alive} announcements and reports when it may
 * have rebooted: its {@code BOOTID.UPNP.ORG} or its LOCATION changed. A rebooted router forgets every
 * mapping, so this lets a {@link PortMapping} restore at once instead of at its next check.
 */
final class NotifyWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(NotifyWatcher.class);

  private final InetAddress router;
  private final Runnable onReboot;
  private long bootId = -2; // -1 is "none announced"
  private String location = "";
  private RouterAnnouncements socket;

  private NotifyWatcher(InetAddress router, Runnable onReboot) {
    this.router = router;
    this.onReboot = onReboot;
  }

  /**
   * Starts watching announcements from {@code router}: on the SSDP multicast group, joined on
   * the interface holding {@code localAddress}; or, for tests, on a unicast address.
   */
  static NotifyWatcher start(InetSocketAddress listenOn, InetAddress localAddress,
      InetAddress router, Runnable onReboot) throws IOException {
    NotifyWatcher watcher = new NotifyWatcher(router, onReboot);
    watcher.socket = RouterAnnouncements.start(listenOn, localAddress, router,
        "upnp-notify-watcher", watcher::received);
    return watcher;
  }

  /** Where announcements are received. */
  InetSocketAddress localAddress() throws IOException {
    return socket.localAddress();
  }

  private void received(ByteBuffer buffer) {
    SsdpMessage message = SsdpMessage.parse(buffer.array(), 0, buffer.position());
    // only the root device's announcements: other devices may have other LOCATIONs
    if (message != null && message.isAlive()
        && message.header("NT").contains(":device:InternetGatewayDevice:") && rebooted(message)) {
      log.debug("router at {} announced itself (BOOTID {}, LOCATION {})",
          router.getHostAddress(), message.bootId(), message.location());
      onReboot.run();
    }
  }

  /**
   * True when this announcement differs from the last one: a new BOOTID or LOCATION. The first
   * one counts too, as the router may have rebooted between our search and its first
   * announcement; a needless check costs one small request.
   */
  private boolean rebooted(SsdpMessage alive) {
    long newBootId = alive.bootId();
    String newLocation = alive.location();
    boolean changed = newBootId != bootId || !newLocation.equals(location);
    bootId = newBootId;
    location = newLocation;
    return changed;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
