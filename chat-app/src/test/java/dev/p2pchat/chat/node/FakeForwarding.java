package dev.p2pchat.chat.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Port forwarding that reports what the test says, and lets it announce address changes. */
final class FakeForwarding implements PortForwarding {
  private final InetSocketAddress external;
  private final InetAddress lan;
  volatile Consumer<InetSocketAddress> addressChanged;

  /**
   * @param external the address the mapping gets (its port 0: the one asked for), or null for none
   * @param lan the LAN address to report, or null for none
   */
  FakeForwarding(InetSocketAddress external, InetAddress lan) {
    this.external = external;
    this.lan = lan;
  }

  @Override
  public Optional<InetSocketAddress> open(
      int localPort, int externalPort, ChatView view, Consumer<InetSocketAddress> addressChanged) {
    this.addressChanged = addressChanged;
    if (external == null) return Optional.empty();
    return Optional.of(new InetSocketAddress(external.getAddress(),
        external.getPort() == 0 ? externalPort : external.getPort()));
  }

  @Override
  public Optional<InetAddress> lanAddress() {
    return Optional.ofNullable(lan);
  }

  @Override
  public List<String> status() {
    return List.of("port forwarding: fake");
  }

  @Override
  public void close() {}
}
