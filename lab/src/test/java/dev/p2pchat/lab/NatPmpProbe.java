package dev.p2pchat.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Test program run inside a lab host: asks a NAT-PMP gateway (RFC 6886) for its public address
 * and prints it. Arguments: the gateway's address, optionally how many milliseconds to wait for
 * the answer (default 3000).
 */
final class NatPmpProbe {
  private NatPmpProbe() {}

  public static void main(String[] args) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(args.length > 1 ? Integer.parseInt(args[1]) : 3_000);
      byte[] request = {0, 0}; // version 0, opcode 0: public address request
      socket.send(new DatagramPacket(request, request.length,
          new InetSocketAddress(args[0], 5351)));
      byte[] buffer = new byte[16];
      DatagramPacket response = new DatagramPacket(buffer, buffer.length);
      socket.receive(response);
      boolean success = buffer[1] == (byte) 128 && buffer[2] == 0 && buffer[3] == 0;
      if (response.getLength() != 12 || !success) {
        System.err.println("unexpected NAT-PMP response of " + response.getLength() + " bytes");
        System.exit(1);
      }
      byte[] address = {buffer[8], buffer[9], buffer[10], buffer[11]};
      System.out.println(InetAddress.getByAddress(address).getHostAddress());
    }
  }
}
