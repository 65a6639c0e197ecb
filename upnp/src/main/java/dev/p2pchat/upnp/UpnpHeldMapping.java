package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A UPnP {@link PortMapping} (which renews, checks and restores itself) as a {@link HeldMapping}. */
final class UpnpHeldMapping implements HeldMapping {
  private final PortMapping portMapping;
  private final long leaseSeconds;
  private volatile Mapping mapping;

  private UpnpHeldMapping(PortMapping portMapping, long leaseSeconds) {
    this.portMapping = portMapping;
    this.leaseSeconds = leaseSeconds;
    this.mapping = describe(portMapping);
  }

  /** Maps the TCP port on {@code gateway}, reporting to {@code events}. */
  static UpnpHeldMapping open(Gateway gateway, int internalPort, int preferredExternalPort,
      MappingOptions options, Events events) throws IOException {
    UpnpHeldMapping[] self = new UpnpHeldMapping[1];
    MappingListener listener = new MappingListener() {
      @Override
      public void renewed(PortMapping m) {
        checked(m);
      }

      @Override
      public void checked(PortMapping m) {
        if (self[0] != null) events.checked(self[0].update(m));
      }

      @Override
      public void restored(PortMapping m) {
        if (self[0] == null) return;
        Mapping before = self[0].mapping;
        events.restored(before, self[0].update(m));
      }

      @Override
      public void externalAddressChanged(PortMapping m, InetSocketAddress before, InetSocketAddress now) {
        if (self[0] == null) return;
        Mapping was = self[0].mapping;
        events.changed(was, self[0].update(m));
      }

      @Override
      public void failed(PortMapping m, IOException why) {
        if (self[0] != null) events.failed(self[0].mapping, why);
      }
    };
    PortMapping m = PortMapping.open(gateway, Protocol.TCP, internalPort, preferredExternalPort,
        options, listener);
    self[0] = new UpnpHeldMapping(m, options.lease().getSeconds());
    return self[0];
  }

  private Mapping update(PortMapping m) {
    mapping = describe(m);
    return mapping;
  }

  private Mapping describe(PortMapping m) {
    Gateway g = m.gateway();
    return new Mapping(MappingProtocol.UPNP, g.friendlyName() + " at " + g.location().getHost(),
        m.externalAddress(), m.externalPort(), g.localAddress(), m.internalPort(),
        m.permanent() ? 0 : leaseSeconds);
  }

  @Override
  public Mapping mapping() {
    return mapping;
  }

  /** The UPnP mapping hears the router's own announcements and checks on its schedule. */
  @Override
  public void checkNow() {}

  @Override
  public void close() {
    portMapping.close();
  }
}
