package dev.p2pchat.lab;

/** A home network: one LAN host behind its own NAT router. */
public final class Home {
  private final Host host;
  private final Router router;

  Home(Host host, Router router) {
    this.host = host;
    this.router = router;
  }

  /** The machine on the LAN; its default route is the router. */
  public Host host() {
    return host;
  }

  /** The home router: NAT to the internet, miniupnpd on the LAN side. */
  public Router router() {
    return router;
  }

  @Override
  public String toString() {
    return "home of " + host + " behind " + router;
  }
}
