package dev.p2pchat.upnp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Daemon threads for requests that run beside others: checking several answering devices at
 * once, or two independent requests to one router. Threads are kept warm between uses; work
 * abandoned by a caller ends by its own timeout.
 */
final class Background {
  static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "upnp-worker");
    thread.setDaemon(true);
    return thread;
  });

  private Background() {}
}
