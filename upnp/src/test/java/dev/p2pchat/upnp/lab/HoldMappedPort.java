package dev.p2pchat.upnp.lab;

import dev.p2pchat.upnp.MappedPort;
import dev.p2pchat.upnp.Mapping;
import dev.p2pchat.upnp.MappingOptions;
import dev.p2pchat.upnp.PortMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Run inside a lab host: serves TCP {@code PORT} (answering {@code hello from <peer>}) and keeps
 * it mapped with {@link PortMapper#forThisHost()} — the default gateway from the routing table,
 * all three protocols — checked every second. Prints what happens: {@code mapped PCP
 * 5.6.7.1:PORT} (or {@code none <why>} when nothing mapped within 3 s), {@code restored ...},
 * {@code changed ...}, {@code lost ...}. The line {@code close} on stdin closes the mapping,
 * prints {@code closed} and exits.
 */
public final class HoldMappedPort {
  private HoldMappedPort() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    ServerSocket server = new ServerSocket(port);
    Thread serving = new Thread(() -> serve(server), "serve");
    serving.setDaemon(true);
    serving.start();
    PortMapper mapper = PortMapper.forThisHost().timeout(Duration.ofSeconds(2))
        .retry(Duration.ofSeconds(1), Duration.ofSeconds(2))
        .options(MappingOptions.defaults().withCheckInterval(Duration.ofSeconds(1)));
    MappedPort mapped = mapper.start(port, port, new MappedPort.Listener() {
      @Override
      public void mapped(Mapping m) {
        System.out.println("mapped " + m.protocol() + " " + address(m));
      }

      @Override
      public void restored(Mapping m) {
        System.out.println("restored " + m.protocol() + " " + address(m));
      }

      @Override
      public void changed(Mapping before, Mapping now) {
        System.out.println("changed " + address(before) + " " + address(now));
      }

      @Override
      public void lost(Mapping last, String why) {
        System.out.println("lost " + why);
      }
    });
    Optional<Mapping> first = mapped.awaitMapping(Duration.ofSeconds(3));
    if (first.isEmpty()) {
      System.out.println("none " + mapped.status().problem().orElse("(still asking)"));
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("close")) break;
    }
    mapped.close();
    System.out.println("closed");
  }

  private static String address(Mapping m) {
    return m.externalAddress().getHostAddress() + ":" + m.externalPort();
  }

  private static void serve(ServerSocket server) {
    while (true) {
      try (Socket s = server.accept()) {
        new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)
            .println("hello from " + s.getInetAddress().getHostAddress());
      } catch (IOException e) {
        return;
      }
    }
  }
}
