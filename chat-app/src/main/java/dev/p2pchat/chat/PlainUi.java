package dev.p2pchat.chat;

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
final class PlainUi implements Ui {
  private final InputStream in;
  private final PlainView view;

  PlainUi(InputStream in, PrintStream out) {
    this.in = in;
    this.view = new PlainView(out);
  }

  @Override
  public ChatView view() {
    return view;
  }

  @Override
  public void run(Commands commands, Node node) {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!commands.handle(line)) return;
      }
    } catch (IOException e) {
      view.show(ChatEvent.Notice.error("reading input failed: " + e.getMessage()));
    }
  }

  @Override
  public void close() {}
}
