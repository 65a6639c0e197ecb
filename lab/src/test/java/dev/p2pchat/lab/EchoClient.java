package dev.p2pchat.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Test program run inside a lab host: sends a line to an {@link EchoServer}, prints the reply. */
final class EchoClient {
  private EchoClient() {}

  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 3_000);
      socket.setSoTimeout(3_000);
      PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
      out.println(args[2]);
      String reply = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
      System.out.println(reply);
    } catch (IOException e) {
      System.err.println("cannot talk to " + host + ":" + port + ": " + e);
      System.exit(1);
    }
  }
}
