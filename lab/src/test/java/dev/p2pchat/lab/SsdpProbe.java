package dev.p2pchat.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Test program run inside a lab host: sends one SSDP M-SEARCH for an Internet Gateway Device from
 * a plain, wildcard-bound datagram socket and prints the LOCATION of the first answer.
 * Optional argument: how many milliseconds to wait for it (default 3000).
 */
final class SsdpProbe {
  private SsdpProbe() {}

  public static void main(String[] args) throws IOException {
    String search = "M-SEARCH * HTTP/1.1\r\n"
        + "HOST: 239.255.255.250:1900\r\n"
        + "MAN: \"ssdp:discover\"\r\n"
        + "MX: 1\r\n"
        + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n";
    byte[] request = search.getBytes(StandardCharsets.US_ASCII);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(args.length > 0 ? Integer.parseInt(args[0]) : 3_000);
      socket.send(new DatagramPacket(request, request.length,
          new InetSocketAddress("239.255.255.250", 1900)));
      byte[] buffer = new byte[2048];
      DatagramPacket response = new DatagramPacket(buffer, buffer.length);
      socket.receive(response);
      String text = new String(buffer, 0, response.getLength(), StandardCharsets.US_ASCII);
      for (String line : text.split("\r\n")) {
        if (line.toUpperCase(Locale.ROOT).startsWith("LOCATION:")) {
          System.out.println(line.substring("LOCATION:".length()).strip());
          return;
        }
      }
      System.err.println("answer without LOCATION: " + text);
      System.exit(1);
    }
  }
}
