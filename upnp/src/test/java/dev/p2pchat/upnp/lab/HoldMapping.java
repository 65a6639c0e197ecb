package dev.p2pchat.upnp.lab;

import dev.p2pchat.upnp.Gateway;
import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.MappingListener;
import dev.p2pchat.upnp.MappingOptions;
import dev.p2pchat.upnp.PortMapping;
import dev.p2pchat.upnp.PortMappingEntry;
import dev.p2pchat.upnp.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run inside a lab host: finds the router, holds a {@link PortMapping} of TCP {@code PORT}
 * checked every second, and prints what happens to it ({@code mapped 5.6.7.1:PORT},
 * {@code restored}, {@code renewed}, {@code taken ...}, {@code changed ...}, {@code failed ...}).
 * The line {@code close} on stdin closes the mapping, prints {@code closed} and exits.
 *
 * <p>{@code HoldMapping PORT [EXTERNAL [LEASE_SECONDS [MEMORY]]]}: the external port asked for
 * (default PORT; 0: no preference), the lease (default an hour) and the file the external port
 * is remembered in ({@link MappingOptions#remembered}; default none).
 */
public final class HoldMapping {
  static final String DESCRIPTION = "p2p-chat lab lifecycle";

  private HoldMapping() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int external = args.length > 1 ? Integer.parseInt(args[1]) : port;
    Duration lease = args.length > 2 ? Duration.ofSeconds(Long.parseLong(args[2]))
        : Duration.ofHours(1);
    Gateway gateway = new GatewayFinder().timeout(Duration.ofSeconds(5)).find()
        .orElseThrow(() -> new IOException("no gateway found"));
    MappingOptions options = MappingOptions.defaults().withDescription(DESCRIPTION)
        .withCheckInterval(Duration.ofSeconds(1)).withLease(lease)
        .remembered(args.length > 3 ? Path.of(args[3]) : null);
    PortMapping mapping = PortMapping.open(gateway, Protocol.TCP, port, external, options,
        new MappingListener() {
          @Override
          public void restored(PortMapping m) {
            System.out.println("restored " + m.externalPort());
          }

          @Override
          public void renewed(PortMapping m) {
            System.out.println("renewed " + m.externalPort());
          }

          @Override
          public void taken(PortMapping m, PortMappingEntry holder) {
            System.out.println("taken by " + holder.internalClient() + ":" + holder.internalPort());
          }

          @Override
          public void externalAddressChanged(PortMapping m, InetSocketAddress before,
              InetSocketAddress now) {
            System.out.println("changed " + before + " " + now);
          }

          @Override
          public void failed(PortMapping m, IOException why) {
            System.out.println("failed " + why.getMessage());
          }
        });
    System.out.println("mapped " + mapping.externalAddress().getHostAddress() + ":"
        + mapping.externalPort());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("close")) break;
    }
    mapping.close();
    System.out.println("closed");
  }
}
