package dev.p2pchat.chat.node;

import java.io.Closeable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes a node's listening port reachable from outside its home network, if it can. The node
 * only depends on this interface so that it can run (and be tested) without a router.
 */
public interface PortForwarding extends Closeable {
  /**
   * Tries to forward {@code localPort}, telling the user what happens on {@code view}. Returns
   * the address peers on the internet can dial, or empty when the node can only be reached on
   * its LAN (the reason has been shown). {@code addressChanged} is called later, from any thread,
   * whenever that address changes (a router reboot, a new external IP).
   */
  Optional<InetSocketAddress> open(
      int localPort, int externalPort, ChatView view, Consumer<InetSocketAddress> addressChanged);

  /** The LAN address the router sees for this host, once known. */
  default Optional<InetAddress> lanAddress() {
    return Optional.empty();
  }

  /** Lines describing the forwarding for {@code /status}. */
  List<String> status();

  /** Removes the forwarding; never throws, returns within a few seconds. */
  @Override
  void close();

  /** No forwarding at all ({@code --no-port-mapping}): the node is reachable on its LAN only. */
  static PortForwarding none() {
    return new PortForwarding() {
      @Override
      public Optional<InetSocketAddress> open(
          int localPort, int externalPort, ChatView view, Consumer<InetSocketAddress> changed) {
        view.show(ChatEvent.Notice.info(
            "Port mapping is off (--no-port-mapping): not asking the router to forward a port."));
        return Optional.empty();
      }

      @Override
      public List<String> status() {
        return List.of("port forwarding: off (--no-port-mapping)");
      }

      @Override
      public void close() {}
    };
  }
}
