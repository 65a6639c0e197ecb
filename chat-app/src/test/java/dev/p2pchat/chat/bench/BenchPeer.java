package dev.p2pchat.chat.bench;

import dev.p2pchat.protocol.Ack;
import dev.p2pchat.protocol.Bye;
import dev.p2pchat.protocol.ChatMessage;
import dev.p2pchat.protocol.DecodeException;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Hello;
import dev.p2pchat.protocol.Ids;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Ping;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.LongConsumer;

/**
 * A lightweight peer on a plain socket and one thread: it says hello, answers pings, and
 * acknowledges every chat line, telling {@code onMessage} when each arrived.
 */
final class BenchPeer implements Closeable {
  private final Socket socket;
  private final FrameWriter writer;
  private final Thread thread;
  private volatile String byeReason;

  BenchPeer(int port, String nick, LongConsumer onMessage) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    writer = new FrameWriter(socket.getOutputStream());
    send(Hello.of(Ids.random(), nick, "bench", null));
    FrameReader reader = new FrameReader(socket.getInputStream());
    thread = new Thread(() -> readLoop(reader, onMessage), "bench-peer " + nick);
    thread.setDaemon(true);
    thread.start();
  }

  /** The reason the node gave when it sent bye, if it did. */
  String byeReason() {
    return byeReason;
  }

  private void readLoop(FrameReader reader, LongConsumer onMessage) {
    try {
      for (Message m = reader.read(); m != null; m = reader.read()) {
        if (m instanceof ChatMessage) {
          onMessage.accept(System.nanoTime());
          send(new Ack(((ChatMessage) m).id()));
        } else if (m instanceof Ping) {
          send(((Ping) m).reply());
        } else if (m instanceof Bye) {
          byeReason = ((Bye) m).reason();
        }
      }
    } catch (IOException | DecodeException e) {
      // closed, or the node sent something this peer cannot read: it just stops
    }
  }

  private void send(Message m) throws IOException {
    writer.write(m);
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
