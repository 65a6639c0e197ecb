package dev.p2pchat.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Test program run inside a lab host: answers each line with {@code echo LINE from PEER}, so the
 * client learns which address its connection came from. Exits after 60 s without a connection.
 */
final class EchoServer {
  private EchoServer() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(port));
      server.setSoTimeout(60_000);
      System.out.println("listening " + port);
      System.out.flush();
      while (true) {
        try (Socket client = server.accept()) {
          client.setSoTimeout(5_000);
          BufferedReader in = new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
          String peer = client.getInetAddress().getHostAddress();
          out.println("echo " + in.readLine() + " from " + peer);
          System.out.println("served " + peer);
          System.out.flush();
        } catch (SocketTimeoutException e) {
          System.out.println("idle, exiting");
          return;
        }
      }
    }
  }
}
