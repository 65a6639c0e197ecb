package dev.p2pchat.upnp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for the router's SSDP {@code NOTIFY ssdp:alive} announcements and reports when it may
 * have rebooted: its {@code BOOTID.UPNP.ORG} or its LOCATION changed. A rebooted router forgets every
 * mapping, so this lets a {@link PortMapping} restore at once instead of at its next check.
 */
final class NotifyWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(NotifyWatcher.class);

  private final DatagramChannel channel;
  private final InetAddress router;
  private final Runnable onReboot;
  private long bootId = -2; // -1 is "none announced"
  private String location = "";

  private NotifyWatcher(DatagramChannel channel, InetAddress router, Runnable onReboot) {
    this.channel = channel;
    this.router = router;
    this.onReboot = onReboot;
  }

  /**
   * Starts watching announcements from {@code router}: on the SSDP multicast group, joined on
   * the interface holding {@code localAddress}; or, for tests, on a unicast address.
   */
  static NotifyWatcher start(InetSocketAddress listenOn, InetAddress localAddress,
      InetAddress router, Runnable onReboot) throws IOException {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      if (listenOn.getAddress().isMulticastAddress()) {
        NetworkInterface lan = NetworkInterface.getByInetAddress(localAddress);
        if (lan == null) throw new IOException("no interface holds " + localAddress);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // share 1900 with others
        channel.bind(new InetSocketAddress(listenOn.getPort()));
        channel.join(listenOn.getAddress(), lan);
      } else {
        channel.bind(listenOn);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    NotifyWatcher watcher = new NotifyWatcher(channel, router, onReboot);
    Thread thread = new Thread(watcher::run, "upnp-notify-watcher");
    thread.setDaemon(true);
    thread.start();
    return watcher;
  }

  /** Where announcements are received. */
  InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private void run() {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.isOpen()) {
      InetSocketAddress sender;
      try {
        buffer.clear();
        sender = (InetSocketAddress) channel.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.debug("SSDP NOTIFY receive failed: {}", e.toString());
        continue;
      }
      if (!sender.getAddress().equals(router)) continue;
      SsdpMessage message = SsdpMessage.parse(buffer.array(), 0, buffer.position());
      // only the root device's announcements: other devices may have other LOCATIONs
      if (message != null && message.isAlive()
          && message.header("NT").contains(":device:InternetGatewayDevice:") && rebooted(message)) {
        log.debug("router at {} announced itself (BOOTID {}, LOCATION {})",
            router.getHostAddress(), message.bootId(), message.location());
        onReboot.run();
      }
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
    channel.close();
  }
}
