package dev.p2pchat.upnp.natpmp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its answer over a UDP socket connected to the router's port 5351 (so only the
 * router's datagrams are received): sent again on the retransmission schedule until an answer
 * is accepted or the timeout passes.
 */
final class UdpExchange {
  private static final Logger log = LoggerFactory.getLogger(UdpExchange.class);
  /** RFC 6887 7: a PCP message is at most 1100 bytes; NAT-PMP's are shorter. */
  private static final int MAX_MESSAGE = 1100;

  /** Reads an answer: the result, or null to ignore the datagram (not an answer to this request). */
  interface Reader<T> {
    T read(ByteBuffer answer) throws IOException;
  }

  private UdpExchange() {}

  /**
   * Sends {@code request} (built for our address as the router will see it) and returns what
   * {@code reader} makes of the first answer it accepts.
   */
  static <T> T run(String protocol, InetSocketAddress server, Duration timeout,
      Retransmission schedule, Function<InetAddress, byte[]> request, Reader<T> reader)
      throws IOException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(server); // UDP: no packet sent, the kernel just picks our address
      byte[] bytes = request.apply(socket.getLocalAddress());
      DatagramPacket out = new DatagramPacket(bytes, bytes.length);
      DatagramPacket in = new DatagramPacket(new byte[MAX_MESSAGE + 1], MAX_MESSAGE + 1);
      int sent = 0;
      int ignored = 0;
      while (true) {
        socket.send(out);
        sent++;
        long waitUntil = Math.min(deadline, System.nanoTime() + schedule.waitNanos(sent));
        for (long left = waitUntil - System.nanoTime(); left > 0;
            left = waitUntil - System.nanoTime()) {
          socket.setSoTimeout((int) ((left + 999_999) / 1_000_000)); // never 0: that is forever
          try {
            socket.receive(in);
          } catch (SocketTimeoutException e) {
            continue; // the loop's condition decides whether the wait is over
          } catch (PortUnreachableException e) {
            throw new NoAnswerException(protocol + " is not on at " + where(server)
                + " (the router says nothing listens there)");
          }
          T answer = in.getLength() > MAX_MESSAGE ? null
              : reader.read(ByteBuffer.wrap(in.getData(), 0, in.getLength()));
          if (answer != null) {
            log.debug("{} answer from {} after {} µs ({} sent)", protocol, where(server),
                (System.nanoTime() - start) / 1000, sent);
            return answer;
          }
          ignored++;
          log.debug("{}: ignored a datagram of {} bytes from {}", protocol, in.getLength(),
              where(server));
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new NoAnswerException("no " + protocol + " answer from " + where(server)
              + " within " + millis(timeout) + " (" + sent + (sent == 1 ? " request" : " requests")
              + (ignored == 0 ? "" : ", " + ignored + " unusable answers ignored") + ")");
        }
      }
    }
  }

  static String where(InetSocketAddress server) {
    return server.getAddress().getHostAddress() + ":" + server.getPort();
  }

  private static String millis(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
