package dev.p2pchat.upnp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time from "search" to "mapping confirmed" against the in-process fake gateway on loopback,
 * next to a baseline in the same run: the same exchange (one SSDP answer, then GET description,
 * GetStatusInfo, GetExternalIPAddress, AddPortMapping, GetExternalIPAddress) done with bare
 * sockets and canned requests, nothing parsed. The ratio is what our client adds to the exchange.
 *
 * <pre>
 * mvn -B -q -o -pl upnp -am test-compile &amp;&amp; java -cp "upnp/target/classes:upnp/target/test-classes:\
 * $HOME/.m2/repository/org/jdom/jdom2/2.0.6.1/jdom2-2.0.6.1.jar:\
 * $HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar" dev.p2pchat.upnp.LoopbackBenchmark
 * </pre>
 */
public final class LoopbackBenchmark {
  private static final int WARMUP = 300;
  private static final int RUNS = 1000;

  private LoopbackBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (FakeGateway fake = new FakeGateway()) {
      GatewayFinder finder = new GatewayFinder().searchAddress(fake.ssdpAddress())
          .timeout(Duration.ofSeconds(3));
      MappingOptions options = MappingOptions.defaults().withCheckInterval(Duration.ofHours(1));
      long[] ours = new long[RUNS];
      long[] bare = new long[RUNS];
      for (int i = -WARMUP; i < RUNS; i++) { // alternate, so both see the same machine noise
        long start = System.nanoTime();
        Gateway gateway = finder.find().orElseThrow();
        PortMapping mapping = PortMapping.open(gateway, Protocol.TCP, 5000, 40000, options,
            new MappingListener() {});
        long oursNanos = System.nanoTime() - start;
        mapping.close();

        start = System.nanoTime();
        bareExchange(fake);
        long bareNanos = System.nanoTime() - start;
        fake.service.clearMappings();
        if (i >= 0) {
          ours[i] = oursNanos;
          bare[i] = bareNanos;
        }
      }
      double oursMedian = median(ours);
      double bareMedian = median(bare);
      System.out.printf("search -> confirmed mapping, loopback fake, median of %d:%n", RUNS);
      System.out.printf("  upnp client        %7.3f ms (p90 %.3f ms)%n", oursMedian, percentile(ours, 90));
      System.out.printf("  bare exchange      %7.3f ms (p90 %.3f ms)%n", bareMedian, percentile(bare, 90));
      System.out.printf("  ratio client/bare  %7.2f%n", oursMedian / bareMedian);
    }
  }

  private static void bareExchange(FakeGateway fake) throws IOException {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      byte[] search = ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n"
          + "MX: 1\r\nST: " + DeviceDescription.WAN_IP_2 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      udp.send(new DatagramPacket(search, search.length, fake.ssdpAddress()));
      udp.receive(new DatagramPacket(new byte[2048], 2048));
    }
    URI location = URI.create(fake.location());
    http(location, "GET " + location.getPath() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    soap(location, "GetStatusInfo", Map.of());
    soap(location, "GetExternalIPAddress", Map.of());
    Map<String, String> add = new LinkedHashMap<>();
    add.put("NewRemoteHost", "");
    add.put("NewExternalPort", "40000");
    add.put("NewProtocol", "TCP");
    add.put("NewInternalPort", "5000");
    add.put("NewInternalClient", "127.0.0.1");
    add.put("NewEnabled", "1");
    add.put("NewPortMappingDescription", "p2p-chat");
    add.put("NewLeaseDuration", "3600");
    soap(location, "AddPortMapping", add);
    soap(location, "GetExternalIPAddress", Map.of());
  }

  private static void soap(URI location, String action, Map<String, String> args) throws IOException {
    byte[] body = SoapCall.envelope(DeviceDescription.WAN_IP_2, action, args)
        .getBytes(StandardCharsets.UTF_8);
    http(location, "POST " + FakeGateway.CONTROL_PATH + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "SOAPAction: \"" + DeviceDescription.WAN_IP_2 + "#" + action + "\"\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n" + new String(body, StandardCharsets.UTF_8));
  }

  private static void http(URI location, String request) throws IOException {
    try (Socket socket = new Socket(location.getHost(), location.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      in.readAllBytes(); // the fake closes after answering
    }
  }

  private static double median(long[] nanos) {
    return percentile(nanos, 50);
  }

  private static double percentile(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }
}
