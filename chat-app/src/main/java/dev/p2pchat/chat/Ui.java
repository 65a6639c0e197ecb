package dev.p2pchat.chat;

import java.io.Closeable;

/** A user interface: where events are shown and where typed lines come from. */
interface Ui extends Closeable {
  ChatView view();

  /** Reads lines and hands them to {@code commands} until the user quits or input ends. */
  void run(Commands commands, Node node);

  @Override
  void close();
}
