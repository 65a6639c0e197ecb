package dev.p2pchat.upnp.cli;

import java.io.StringReader;
import javax.xml.stream.XMLInputFactory;
import org.jdom2.input.StAXStreamBuilder;

/**
 * Loads and initialises the XML parser (jdom2 over the JDK's StAX parser, about 55 ms of CPU in
 * a fresh JVM) on a second thread while the main thread waits for the router's SSDP answer (at least
 * 50 ms with miniupnpd), so a one-shot command does not pay for both in a row.
 */
final class Warmup {
  private Warmup() {}

  static void start() {
    Thread thread = new Thread(Warmup::parseSomething, "upnp-tool-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void parseSomething() {
    try {
      new StAXStreamBuilder().build(XMLInputFactory.newDefaultFactory()
          .createXMLStreamReader(new StringReader("<a><b>c</b></a>")));
    } catch (Exception | LinkageError e) {
      // only a head start: the real parse reports any real problem
    }
  }
}
