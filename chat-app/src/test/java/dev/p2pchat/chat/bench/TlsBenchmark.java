package dev.p2pchat.chat.bench;

import dev.p2pchat.chat.trust.Identity;
import dev.p2pchat.chat.trust.PeerVerifier;
import dev.p2pchat.chat.trust.SecuredConnection;
import dev.p2pchat.chat.trust.TlsEndpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What TLS costs on 127.0.0.1, against the plain socket in the same run: connection set-up
 * (TCP connect, then the TLS 1.3 handshake both ways with certificates checked, until the first
 * byte from the acceptor has arrived; plain: connect until that byte) and the throughput of
 * 100-byte frames, flushed one by one (a writer whose queue empties after every line) and
 * flushed every 64 frames (a writer draining a backlog). Rounds alternate plain and TLS, so
 * noise from the rest of the machine falls on both alike; medians over all rounds.
 *
 * <p>Arguments: {@code [handshakes per round, default 200] [frames per round, default 200000]}.
 */
public final class TlsBenchmark {
  private static final int ROUNDS = 5;
  private static final int FRAME_BYTES = 100;
  private static final int BATCH = 64;

  private final Identity dialler = Identity.generate();
  private final Identity acceptor = Identity.generate();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "tls-bench-acceptor");
    thread.setDaemon(true);
    return thread;
  });
  private final ServerSocket plainServer;
  private final ServerSocket tlsServer;

  private TlsBenchmark() throws IOException {
    plainServer = listen(false);
    tlsServer = listen(true);
  }

  public static void main(String[] args) throws Exception {
    int handshakes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    TlsBenchmark bench = new TlsBenchmark();
    System.out.printf("TLS 1.3 (Ed25519, %s) vs plain TCP, 127.0.0.1, %d rounds%n",
        "JDK " + Runtime.version(), ROUNDS);

    bench.setUps(false, handshakes); // warm-up
    bench.setUps(true, handshakes);
    bench.throughput(false, frames / 4, 1);
    bench.throughput(true, frames / 4, 1);
    List<Long> plainSetUp = new ArrayList<>();
    List<Long> tlsSetUp = new ArrayList<>();
    List<Double> plainEach = new ArrayList<>();
    List<Double> tlsEach = new ArrayList<>();
    List<Double> plainBatched = new ArrayList<>();
    List<Double> tlsBatched = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      plainSetUp.addAll(bench.setUps(false, handshakes));
      tlsSetUp.addAll(bench.setUps(true, handshakes));
      plainEach.add(bench.throughput(false, frames, 1));
      tlsEach.add(bench.throughput(true, frames, 1));
      plainBatched.add(bench.throughput(false, frames * 4, BATCH));
      tlsBatched.add(bench.throughput(true, frames * 4, BATCH));
    }

    double plainP50 = percentile(plainSetUp, 50) / 1e6;
    double tlsP50 = percentile(tlsSetUp, 50) / 1e6;
    System.out.printf("set-up p50   plain %6.3f ms  TLS %6.3f ms  (TLS/plain %.1fx)%n",
        plainP50, tlsP50, tlsP50 / plainP50);
    System.out.printf("set-up p90   plain %6.3f ms  TLS %6.3f ms%n",
        percentile(plainSetUp, 90) / 1e6, percentile(tlsSetUp, 90) / 1e6);
    report("frames/s, flushed each", plainEach, tlsEach);
    report("frames/s, flushed per " + BATCH, plainBatched, tlsBatched);
  }

  private static void report(String what, List<Double> plain, List<Double> tls) {
    double plainMedian = median(plain);
    double tlsMedian = median(tls);
    System.out.printf("%-24s plain %,10.0f  TLS %,10.0f  (TLS/plain %.2f)%n", what, plainMedian,
        tlsMedian, tlsMedian / plainMedian);
  }

  /** Nanoseconds from connect until the acceptor's first byte, per connection. */
  private List<Long> setUps(boolean tls, int count) throws IOException {
    List<Long> nanos = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      try (Socket socket = connect(tls)) {
        if (socket.getInputStream().read() != 1) throw new IOException("no greeting");
        nanos.add(System.nanoTime() - start);
      }
    }
    return nanos;
  }

  /** Frames per second from the first write until the acceptor confirms it read them all. */
  private double throughput(boolean tls, int frames, int flushEvery) throws IOException {
    byte[] frame = new byte[FRAME_BYTES];
    Arrays.fill(frame, (byte) 'x');
    frame[FRAME_BYTES - 1] = '\n';
    try (Socket socket = connect(tls)) {
      InputStream in = socket.getInputStream();
      if (in.read() != 1) throw new IOException("no greeting");
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      long start = System.nanoTime();
      for (int i = 1; i <= frames; i++) {
        out.write(frame);
        if (i % flushEvery == 0) out.flush();
      }
      out.flush();
      socket.shutdownOutput();
      if (in.read() != 2) throw new IOException("frames not confirmed");
      return frames / ((System.nanoTime() - start) / 1e9);
    }
  }

  private Socket connect(boolean tls) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(),
        (tls ? tlsServer : plainServer).getLocalPort());
    socket.setTcpNoDelay(true);
    if (!tls) return socket;
    return new TlsEndpoint(dialler, Duration.ofSeconds(10))
        .secureDialled(socket, PeerVerifier.expecting("bench", acceptor.fingerprint(), "bench"))
        .socket();
  }

  /** Accepts, greets with one byte, reads to the end, confirms with another byte. */
  private ServerSocket listen(boolean tls) throws IOException {
    ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    TlsEndpoint endpoint = new TlsEndpoint(acceptor, Duration.ofSeconds(10));
    pool.execute(() -> {
      while (true) {
        try {
          Socket accepted = server.accept();
          accepted.setTcpNoDelay(true);
          pool.execute(() -> serve(tls ? secure(endpoint, accepted) : accepted));
        } catch (IOException e) {
          return;
        }
      }
    });
    return server;
  }

  private Socket secure(TlsEndpoint endpoint, Socket accepted) {
    try {
      SecuredConnection secured = endpoint.secureAccepted(accepted,
          PeerVerifier.expecting("bench", dialler.fingerprint(), "bench"));
      return secured.socket();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      socket.getOutputStream().write(1);
      socket.getOutputStream().flush();
      byte[] buffer = new byte[64 * 1024];
      InputStream in = socket.getInputStream();
      while (in.read(buffer) >= 0) {
        // count nothing: the dialler knows what it sent
      }
      socket.getOutputStream().write(2);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      // the dialler closed after its greeting: a set-up measurement
    }
  }

  private static long percentile(List<Long> samples, int percent) {
    long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
  }

  private static double median(List<Double> samples) {
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }
}
