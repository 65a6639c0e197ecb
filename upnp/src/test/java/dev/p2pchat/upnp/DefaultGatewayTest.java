package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultGatewayTest {
  private static final String HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

  private static Optional<InetAddress> ip(String dotted) throws Exception {
    return Optional.of(InetAddress.getByName(dotted));
  }

  @Test
  void readsTheDefaultRouteOfALabHost() throws Exception {
    String table = HEADER
        + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    assertEquals(ip("192.168.1.1"), DefaultGateway.parse(table, ByteOrder.LITTLE_ENDIAN));
    assertEquals(ip("1.1.168.192"), DefaultGateway.parse(table, ByteOrder.BIG_ENDIAN));
  }

  @Test
  void theLowestMetricWinsAmongDefaultRoutes() throws Exception {
    String table = HEADER
        + "wlan0\t00000000\t0102A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
        + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
        + "wg0\t00000000\t0101000A\t0003\t0\t0\t900\t00000000\t0\t0\t0\n";
    assertEquals(ip("192.168.1.1"), DefaultGateway.parse(table, ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void routesThatAreDownOrWithoutAGatewayOrNotDefaultDoNotCount() throws Exception {
    String table = HEADER
        + "eth0\t00000000\t0101A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n" // not up
        + "tun0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n" // no gateway
        + "eth1\t0000000A\t0100000A\t0003\t0\t0\t0\t000000FF\t0\t0\t0\n"; // 10/8 via 10.0.0.1
    assertEquals(Optional.empty(), DefaultGateway.parse(table, ByteOrder.LITTLE_ENDIAN));
  }

  @Test
  void noTableOrGarbageIsNoGateway() throws Exception {
    assertEquals(Optional.empty(), DefaultGateway.parse("", ByteOrder.LITTLE_ENDIAN));
    assertEquals(Optional.empty(), DefaultGateway.parse(HEADER, ByteOrder.LITTLE_ENDIAN));
    String table = HEADER
        + "eth0\t00000000\tZZZZ\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "eth0\t00000000\t0101A8C0\n"
        + "eth0\t00000000\t0101A8C0FF\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "eth1\t00000000\t0102A8C0\t0003\t0\t0\t5\t00000000\t0\t0\t0\n";
    assertEquals(ip("192.168.2.1"), DefaultGateway.parse(table, ByteOrder.LITTLE_ENDIAN));
  }
}
