package dev.p2pchat.upnp.cli;

import java.io.StringReader;
import javax.xml.stream.XMLInputFactory;
import org.jdom2.input.StAXStreamBuilder;

/**
 * Loads and initialises the description parser (jdom2 over the JDK's StAX parser) on a second
 * thread while the main thread starts up and waits for the router, so a one-shot command does
 * not pay for both in a row — when a description will be fetched for sure ({@code --gateway}, or
 * a search with {@code --no-cache}). SOAP replies need none of it, so a run that confirms the
 * remembered router, which fetches no description, starts no warm-up.
 */
final class Warmup {
  private Warmup() {}

  static void startIf(boolean description) {
    if (!description) return;
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
