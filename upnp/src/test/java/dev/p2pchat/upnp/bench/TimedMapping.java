package dev.p2pchat.upnp.bench;

import dev.p2pchat.upnp.Gateway;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.PortMappingEntry;
import dev.p2pchat.upnp.Protocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bitlet.weupnp.GatewayDevice;
import org.bitlet.weupnp.GatewayDiscover;

/**
 * Run inside a lab host: finds the router, asks its external address and maps TCP {@code PORT}
 * to this host, with our library searching afresh ({@code ours}), with our library remembering
 * the router between rounds in a temporary file ({@code ours-warm}: the first warm-up finds it
 * by search), or with weupnp ({@code weupnp}). Ours takes the external address its finder
 * confirmed, as {@code PortMapping.open} does.
 *
 * <p>{@code TimedMapping KIND PORT}: does it once and exits 0 (the caller times the whole
 * process and deletes the mapping). {@code TimedMapping KIND PORT ROUNDS WARMUPS}: does it
 * WARMUPS + ROUNDS times in this JVM, deleting the mapping after each (untimed), and prints a
 * line {@code round N total_ms T find_ms F} per timed round.
 *
 * <p>Two baselines: {@code TimedMapping none} does nothing (the JVM start-up floor), and
 * {@code TimedMapping ssdp ROUTER ROUNDS} times one M-SEARCH to the router until its first
 * answer, printing {@code round N total_ms T} (the floor under any discovery).
 */
public final class TimedMapping {
  static final String DESCRIPTION = "p2p-chat bench";

  private TimedMapping() {}

  /** One contender's way to a confirmed mapping. */
  private interface Client {
    /** Finds the gateway (timed as find), then asks the external address and maps the port. */
    void map(int port, long[] foundAt) throws Exception;

    void delete(int port) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("none")) return;
    if (args[0].equals("ssdp")) {
      timeSsdpAnswers(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
      return;
    }
    Path memory = Files.createTempDirectory("timed-mapping-").resolve("gateway");
    try {
      run(args, switch (args[0]) {
        case "ours" -> new Ours(new GatewayFinder());
        case "ours-warm" -> new Ours(new GatewayFinder().remembered(memory));
        default -> new Weupnp();
      });
    } finally {
      Files.deleteIfExists(memory);
      Files.delete(memory.getParent());
    }
  }

  private static void run(String[] args, Client client) throws Exception {
    int port = Integer.parseInt(args[1]);
    if (args.length == 2) {
      client.map(port, new long[1]);
      return;
    }
    int rounds = Integer.parseInt(args[2]);
    int warmups = Integer.parseInt(args[3]);
    for (int i = -warmups; i < rounds; i++) {
      long[] foundAt = new long[1];
      long start = System.nanoTime();
      client.map(port, foundAt);
      long end = System.nanoTime();
      client.delete(port);
      if (i >= 0) {
        System.out.printf("round %d total_ms %.2f find_ms %.2f%n", i, (end - start) / 1e6,
            (foundAt[0] - start) / 1e6);
      }
    }
  }

  private static void timeSsdpAnswers(InetAddress router, int rounds) throws IOException {
    byte[] search = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
        + "MAN: \"ssdp:discover\"\r\nMX: 1\r\n"
        + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < rounds; i++) {
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setSoTimeout(3_000);
        long start = System.nanoTime();
        socket.send(new DatagramPacket(search, search.length, router, 1900));
        socket.receive(new DatagramPacket(new byte[2048], 2048));
        System.out.printf("round %d total_ms %.2f%n", i, (System.nanoTime() - start) / 1e6);
      }
    }
  }

  private static final class Ours implements Client {
    private final GatewayFinder finder;
    private Gateway gateway;

    Ours(GatewayFinder finder) {
      this.finder = finder;
    }

    @Override
    public void map(int port, long[] foundAt) throws IOException {
      gateway = finder.find().orElseThrow(() -> new IOException("no gateway"));
      foundAt[0] = System.nanoTime();
      InetAddress external = gateway.externalIpAddressWhenFound().orElse(null);
      if (external == null) external = gateway.externalIpAddress();
      if (external == null) throw new IOException("no external address");
      gateway.addPortMapping(PortMappingEntry.of(Protocol.TCP, port,
          gateway.localAddress().getHostAddress(), port, DESCRIPTION, 3600));
    }

    @Override
    public void delete(int port) throws IOException {
      gateway.deletePortMapping(port, Protocol.TCP);
    }
  }

  private static final class Weupnp implements Client {
    private GatewayDevice device;

    @Override
    public void map(int port, long[] foundAt) throws Exception {
      GatewayDiscover discover = new GatewayDiscover();
      discover.discover();
      device = discover.getValidGateway();
      if (device == null) throw new IOException("weupnp found no valid gateway");
      foundAt[0] = System.nanoTime();
      if (device.getExternalIPAddress() == null) throw new IOException("no external address");
      if (!device.addPortMapping(port, port, device.getLocalAddress().getHostAddress(), "TCP",
          DESCRIPTION)) {
        throw new IOException("weupnp: the router refused the mapping");
      }
    }

    @Override
    public void delete(int port) throws Exception {
      device.deletePortMapping(port, "TCP");
    }
  }
}
