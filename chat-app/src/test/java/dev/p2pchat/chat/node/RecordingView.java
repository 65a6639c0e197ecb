package dev.p2pchat.chat.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Records a node's events so that tests can wait for them. */
public final class RecordingView implements ChatView {
  private final List<ChatEvent> events = new ArrayList<>();

  @Override
  public synchronized void show(ChatEvent event) {
    events.add(event);
    notifyAll();
  }

  public synchronized List<ChatEvent> events() {
    return List.copyOf(events);
  }

  public synchronized List<String> lines() {
    return events.stream().map(ChatEvent::text).collect(Collectors.toList());
  }

  private synchronized List<String> shortLines() {
    return events.stream().map(ChatEvent::text)
        .map(t -> t.length() > 120 ? t.substring(0, 117) + "..." : t).collect(Collectors.toList());
  }

  public <T extends ChatEvent> List<T> all(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  /** Waits for the first event of {@code type} matching {@code test}; fails with what was seen. */
  public <T extends ChatEvent> T await(Class<T> type, Predicate<? super T> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        for (ChatEvent e : events) {
          if (type.isInstance(e) && test.test(type.cast(e))) return type.cast(e);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no " + type.getSimpleName() + " as expected within " + timeout
              + "; events: " + shortLines());
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  public <T extends ChatEvent> T await(Class<T> type, Predicate<? super T> test) throws InterruptedException {
    return await(type, test, Duration.ofSeconds(5));
  }

  /** Waits for a line of plain text containing {@code fragment}. */
  public String awaitLine(String fragment) throws InterruptedException {
    return await(ChatEvent.class, e -> e.text().contains(fragment)).text();
  }
}
