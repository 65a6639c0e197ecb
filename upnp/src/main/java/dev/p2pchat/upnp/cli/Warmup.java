package dev.p2pchat.upnp.cli;

import java.io.IOException;
import java.io.StringReader;
import java.net.Proxy;
import java.net.Socket;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import org.jdom2.JDOMException;
import org.jdom2.input.StAXStreamBuilder;

/**
 * Does on a second thread, while the main thread starts slf4j and reads the remembered router,
 * the first-time work a command would otherwise wait for in a row: setting up sockets (loading
 * the JDK's socket implementation and its native library, about 6 ms), and — when a description
 * will be fetched for sure ({@code --gateway}, or a search with {@code --no-cache}) — loading
 * the description parser, jdom2 over the JDK's StAX parser. SOAP replies need no parser set up,
 * so a run that confirms the remembered router, which fetches no description, skips that. A
 * class rather than a lambda: the first lambda costs the main thread about 3 ms of
 * method-handle set-up.
 */
final class Warmup implements Runnable {
  private final boolean description;

  private Warmup(boolean description) {
    this.description = description;
  }

  static void start(boolean description) {
    Thread thread = new Thread(new Warmup(description), "upnp-tool-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    try {
      try (Socket socket = new Socket(Proxy.NO_PROXY)) { // as Http makes them
        socket.setTcpNoDelay(true); // creates the socket; unconnected, it sends nothing
      }
      if (description) {
        new StAXStreamBuilder().build(XMLInputFactory.newDefaultFactory()
            .createXMLStreamReader(new StringReader("<a><b>c</b></a>")));
      }
    } catch (IOException | XMLStreamException | JDOMException | RuntimeException
        | LinkageError e) {
      // only a head start: the real work reports any real problem
    }
  }
}
