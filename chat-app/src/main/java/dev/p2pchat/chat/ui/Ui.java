package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.node.ChatView;
import java.io.Closeable;

/** A user interface: where events are shown and where typed lines come from. */
public interface Ui extends Closeable {
  ChatView view();

  /** Reads lines and hands them to {@code input} until the user quits or input ends. */
  void run(Input input);

  @Override
  void close();
}
