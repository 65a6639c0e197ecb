package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Level;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatEvent.PeerError;
import dev.p2pchat.chat.node.ChatView;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounds what all peers together can put on the screen: at most {@link #LINES_PER_SECOND} chat
 * lines a second and {@link #ERRORS_PER_MINUTE} error reports a minute. What does not fit is
 * counted and folded into one line when its window ends: {@code … 1,234 lines from 5 peers not
 * shown}. Our own lines and the node's notices always pass. Thread-safe. It sits in front of the
 * screen rather than in the node, which passes every line on (benchmarks count them).
 */
public final class ScreenLimits implements ChatView {
  static final int LINES_PER_SECOND = 50;
  static final int ERRORS_PER_MINUTE = 10;

  private final ChatView screen;
  private final LongSupplier nanoClock;
  private final Fold lines;
  private final Fold errors;

  /** @param nanoClock the time in nanoseconds, {@code System::nanoTime} but in tests */
  public ScreenLimits(ChatView screen, LongSupplier nanoClock) {
    this.screen = screen;
    this.nanoClock = nanoClock;
    long now = nanoClock.getAsLong();
    this.lines = new Fold("lines", LINES_PER_SECOND, Duration.ofSeconds(1), now);
    this.errors = new Fold("error reports", ERRORS_PER_MINUTE, Duration.ofMinutes(1), now);
  }

  @Override
  public synchronized void show(ChatEvent event) {
    long now = nanoClock.getAsLong();
    flush(now);
    if (event instanceof Chat chat && !chat.outgoing()) {
      if (lines.admit(chat.from())) screen.show(event);
    } else if (event instanceof PeerError error) {
      if (errors.admit(error.nick())) screen.show(event);
    } else {
      screen.show(event);
    }
  }

  /** Limits what reaches {@code screen}, folding on a daemon thread every second. */
  public static ScreenLimits every(ChatView screen) {
    ScreenLimits limits = new ScreenLimits(screen, System::nanoTime);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "p2p-chat-screen-limits");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(limits::flush, 1, 1, TimeUnit.SECONDS);
    return limits;
  }

  /** Shows what was folded in windows that have ended. */
  public synchronized void flush() {
    flush(nanoClock.getAsLong());
  }

  private void flush(long now) {
    lines.roll(now);
    errors.roll(now);
  }

  /** One kind of event, admitted up to a number per window; the rest counted by sender. */
  private final class Fold {
    private final String what;
    private final int max;
    private final long windowNanos;
    private final Set<String> hiddenFrom = new HashSet<>();
    private long windowStart;
    private int shown;
    private long hidden;

    Fold(String what, int max, Duration window, long now) {
      this.what = what;
      this.max = max;
      this.windowNanos = window.toNanos();
      this.windowStart = now;
    }

    boolean admit(String nick) {
      if (shown < max) {
        shown++;
        return true;
      }
      hidden++;
      hiddenFrom.add(nick);
      return false;
    }

    void roll(long now) {
      if (now - windowStart < windowNanos) return;
      if (hidden > 0) {
        int peers = hiddenFrom.size();
        screen.show(new Notice(Level.WARNING, String.format(Locale.ROOT, "… %,d %s from %,d %s not shown",
            hidden, what, peers, peers == 1 ? "peer" : "peers")));
      }
      windowStart = now;
      shown = 0;
      hidden = 0;
      hiddenFrom.clear();
    }
  }
}
