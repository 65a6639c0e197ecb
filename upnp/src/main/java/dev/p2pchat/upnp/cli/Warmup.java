package dev.p2pchat.upnp.cli;

import java.io.StringReader;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import org.jdom2.input.StAXStreamBuilder;

/**
 * Loads and initialises the XML parser on a second thread while the main thread starts up and
 * waits for the router, so a one-shot command does not pay for both in a row: the JDK's StAX
 * parser, which reads every SOAP reply; and jdom2 on top, which builds the description, when
 * one will be fetched for sure ({@code --gateway}, or a search with {@code --no-cache}). A run
 * that confirms the remembered router fetches no description and so never needs jdom2.
 */
final class Warmup {
  private Warmup() {}

  static void start(boolean description) {
    Thread thread = new Thread(() -> parseSomething(description), "upnp-tool-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void parseSomething(boolean description) {
    try {
      XMLStreamReader reader = XMLInputFactory.newDefaultFactory()
          .createXMLStreamReader(new StringReader("<a><b>c</b></a>"));
      if (description) {
        new StAXStreamBuilder().build(reader);
      } else {
        while (reader.hasNext()) reader.next();
      }
    } catch (Exception | LinkageError e) {
      // only a head start: the real parse reports any real problem
    }
  }
}
