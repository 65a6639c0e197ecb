package dev.p2pchat.upnp.bench;

import dev.p2pchat.upnp.Protocol;
import dev.p2pchat.upnp.natpmp.MappingClient;
import dev.p2pchat.upnp.natpmp.NatPmpClient;
import dev.p2pchat.upnp.natpmp.PcpClient;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Run inside a lab host, in one warm JVM: maps TCP {@code PORT} with NAT-PMP or PCP on the
 * gateway given (known: no discovery), deletes it, and prints each map's time as
 * {@code round N map_ms X}. Arguments: {@code natpmp|pcp GATEWAY PORT ROUNDS WARMUPS}.
 */
public final class TimedPortControl {
  private TimedPortControl() {}

  public static void main(String[] args) throws IOException {
    InetSocketAddress server = new InetSocketAddress(args[1], NatPmpClient.PORT);
    int port = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    int warmups = Integer.parseInt(args[4]);
    for (int round = -warmups; round < rounds; round++) {
      // a PCP client per mapping: renewals and its delete carry its nonce
      MappingClient client = args[0].equals("pcp") ? new PcpClient(server) : new NatPmpClient(server);
      long start = System.nanoTime();
      client.epoch();
      long epoch = System.nanoTime();
      client.map(Protocol.TCP, port, port, 3600);
      long mapped = System.nanoTime();
      client.map(Protocol.TCP, port, port, 3600);
      long renewed = System.nanoTime();
      client.delete(Protocol.TCP, port);
      if (round >= 0) {
        System.out.printf("round %d map_ms %.3f epoch_ms %.3f renew_ms %.3f%n", round,
            (mapped - epoch) / 1e6, (epoch - start) / 1e6, (renewed - mapped) / 1e6);
      }
    }
  }
}
