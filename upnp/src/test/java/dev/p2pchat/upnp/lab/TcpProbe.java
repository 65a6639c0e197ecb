package dev.p2pchat.upnp.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Run inside a lab host. {@code serve PORT}: prints {@code listening}, then answers each
 * connection with {@code hello from <peer address>} until killed. {@code connect HOST PORT}:
 * prints the answer and exits 0, or exits 1 when no connection is made within a second.
 */
public final class TcpProbe {
  private TcpProbe() {}

  public static void main(String[] args) throws IOException {
    if (args[0].equals("serve")) {
      try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]))) {
        System.out.println("listening");
        while (true) {
          try (Socket s = server.accept()) {
            s.setSoTimeout(5_000);
            String peer = s.getInetAddress().getHostAddress();
            new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)
                .println("hello from " + peer);
            System.out.println("served " + peer);
          }
        }
      }
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 1_000);
      s.setSoTimeout(5_000);
      System.out.println(new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.UTF_8)).readLine());
    } catch (IOException e) {
      System.out.println("no connection: " + e);
      System.exit(1);
    }
  }
}
