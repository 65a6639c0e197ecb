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
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket hearing what the router multicasts to its LAN (SSDP {@code NOTIFY}, PCP ANNOUNCE), on
 * a daemon thread: each datagram from the router itself goes to the handler, others are dropped.
 */
final class RouterAnnouncements implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(RouterAnnouncements.class);

  private final DatagramChannel channel;

  private RouterAnnouncements(DatagramChannel channel) {
    this.channel = channel;
  }

  /**
   * Listens on {@code listenOn}: a multicast group, joined on the interface holding
   * {@code localAddress}; or, for tests, a unicast address. {@code onDatagram} gets each
   * datagram from {@code router}, its bytes from 0 to the buffer's position.
   */
  static RouterAnnouncements start(InetSocketAddress listenOn, InetAddress localAddress,
      InetAddress router, String threadName, Consumer<ByteBuffer> onDatagram) throws IOException {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      if (listenOn.getAddress().isMulticastAddress()) {
        NetworkInterface lan = NetworkInterface.getByInetAddress(localAddress);
        if (lan == null) throw new IOException("no interface holds " + localAddress);
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // other programs listen too
        channel.bind(new InetSocketAddress(listenOn.getPort()));
        channel.join(listenOn.getAddress(), lan);
      } else {
        channel.bind(listenOn);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    Thread thread = new Thread(() -> receive(channel, router, onDatagram), threadName);
    thread.setDaemon(true);
    thread.start();
    return new RouterAnnouncements(channel);
  }

  /** Where announcements are received. */
  InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private static void receive(DatagramChannel channel, InetAddress router,
      Consumer<ByteBuffer> onDatagram) {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    while (channel.isOpen()) {
      InetSocketAddress sender;
      try {
        buffer.clear();
        sender = (InetSocketAddress) channel.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.debug("announcement receive failed: {}", e.toString());
        continue;
      }
      if (sender.getAddress().equals(router)) onDatagram.accept(buffer);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
