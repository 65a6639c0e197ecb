package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Plain line mode, used when standard input is not a terminal: lines are read from the input,
 * events are written one per line, no escape codes. Scripts and end-to-end tests drive this.
 */
public final class PlainUi implements Ui {
  private final InputStream in;
  private final PlainView view;

  public PlainUi(InputStream in, PrintStream out) {
    this.in = in;
    this.view = new PlainView(out);
  }

  @Override
  public ChatView view() {
    return view;
  }

  @Override
  public void run(Input input) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!input.handle(line)) return;
      }
    } catch (IOException e) {
      view.show(Notice.error("reading input failed: " + e.getMessage()));
    }
  }

  @Override
  public void close() {}
}
