package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.ChatView;
import java.io.PrintStream;

/** Prints one line per event, no escape codes: the mode for pipes, scripts and tests. */
final class PlainView implements ChatView {
  private final PrintStream out;

  PlainView(PrintStream out) {
    this.out = out;
  }

  @Override
  public void show(ChatEvent event) {
    synchronized (out) {
      out.println(event.text());
      out.flush();
    }
  }
}
