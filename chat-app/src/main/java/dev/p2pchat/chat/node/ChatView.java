package dev.p2pchat.chat.node;

/** Where a node's events go: the terminal, plain standard output, or a test's recorder. */
@FunctionalInterface
public interface ChatView {
  /** Shows one event. Called from any thread; implementations must be thread-safe. */
  void show(ChatEvent event);
}
