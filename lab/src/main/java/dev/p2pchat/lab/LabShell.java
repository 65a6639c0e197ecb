package dev.p2pchat.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Builds a lab to try things by hand, prints its namespaces and commands to run in them, and
 * tears it down on Enter, Ctrl-C or SIGTERM. With its input closed it keeps the lab up until
 * a signal comes.
 * Run it with {@code bash lab/shell.sh} from the repository root, as root.
 */
public final class LabShell {
  private static final String CHAT_JAR = "chat-app/target/p2p-chat.jar";

  private LabShell() {}

  /** Entry point; takes no arguments. */
  public static void main(String[] args) throws IOException, InterruptedException {
    PrintStream out = System.out;
    if (Lab.unavailableReason().isPresent()) {
      System.err.println("Cannot build the lab: " + Lab.unavailableReason().get());
      System.exit(2);
    }
    long started = System.nanoTime();
    try (Lab lab = Lab.create()) {
      long millis = (System.nanoTime() - started) / 1_000_000;
      out.println(describe(lab, millis));
      out.println("Press Enter (or Ctrl-C) to tear the lab down.");
      out.flush();
      if (!awaitEnter(System.in)) {
        out.println("No more input: the lab stays up until this process (pid "
            + ProcessHandle.current().pid() + ") is interrupted or terminated.");
        out.flush();
        new CountDownLatch(1).await();
      }
      out.println("Tearing down " + lab.id() + " ...");
    }
    out.println("Lab removed.");
  }

  static String describe(Lab lab, long millis) {
    Home a = lab.homeA();
    Home b = lab.homeB();
    StringBuilder text = new StringBuilder();
    text.append("Lab ").append(lab.id()).append(" is up (built in ").append(millis)
        .append(" ms).\n\n");
    text.append(String.format("  %-10s %-28s %s%n", "machine", "addresses", "namespace"));
    row(text, "internet", lab.internet().address() + " (bridge)", lab.internet().namespace());
    for (Home home : new Home[] {a, b}) {
      Router router = home.router();
      String letter = router.label();
      row(text, "router " + letter, router.wanAddress() + " wan, " + router.lanAddress() + " lan",
          router.namespace());
      row(text, "host " + letter, home.host().address(), home.host().namespace());
    }
    text.append("\nminiupnpd (UPnP IGD + NAT-PMP) answers at ").append(a.router().descriptionUrl())
        .append(" and ").append(b.router().descriptionUrl()).append(";\nits logs: ")
        .append(a.router().logFile()).append(" and ").append(b.router().logFile()).append("\n");
    String hostA = a.host().namespace();
    String hostB = b.host().namespace();
    text.append("\nThings to try (as root, in another terminal, from the repository root):\n");
    text.append("  ip netns exec ").append(hostB).append(" upnpc -l\n");
    text.append("  ip netns exec ").append(hostB).append(" upnpc -e try -a ")
        .append(b.host().address()).append(" 4000 4000 TCP\n");
    text.append("  ip netns exec ").append(b.router().namespace()).append(" nft list ruleset\n");
    for (String host : new String[] {hostA, hostB}) {
      text.append("  ip netns exec ").append(host).append(" java -jar ").append(CHAT_JAR)
          .append('\n');
    }
    text.append("  ip netns exec ").append(hostA).append(" bash    # a shell inside home A\n");
    return text.toString();
  }

  private static void row(StringBuilder text, String machine, String addresses, String ns) {
    text.append(String.format("  %-10s %-28s %s%n", machine, addresses, ns));
  }

  /** True on Enter, false at the end of input (as when started in the background). */
  private static boolean awaitEnter(InputStream in) throws IOException {
    int c;
    do {
      c = in.read();
    } while (c != -1 && c != '\n');
    return c == '\n';
  }
}
