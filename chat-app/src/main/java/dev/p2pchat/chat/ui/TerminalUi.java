package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.ChatView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interactive terminal: a jline prompt with history kept across runs and tab completion of
 * commands and nicks; events are printed above the prompt, with colours (unless the {@link
 * TerminalPolicy} says no) and a timestamp (unless hidden), without disturbing what the user is
 * typing.
 *
 * <p>Keys that end things work as in a shell: Ctrl-C clears a line being typed (it goes to the
 * history, so Up brings it back); on an empty line it asks first, and a second Ctrl-C within
 * {@link #CTRL_C_AGAIN} quits. Ctrl-D on an empty line quits. Ctrl-C while no line is being
 * read (starting up, or between two lines) counts as on an empty line.
 */
public final class TerminalUi implements Ui, ChatView {
  private static final Logger log = LoggerFactory.getLogger(TerminalUi.class);
  /** How soon a second Ctrl-C on an empty line must follow the first to quit. */
  static final Duration CTRL_C_AGAIN = Duration.ofSeconds(3);
  private static final int[] NICK_COLOURS = {
    AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE,
    AttributedStyle.MAGENTA, AttributedStyle.CYAN, AttributedStyle.RED
  };

  private final Terminal terminal;
  private final LineReader reader;
  private final TerminalPolicy policy;
  private final Timestamps timestamps;
  private volatile Input input;
  /** When a Ctrl-C on an empty line last asked whether to quit ({@link System#nanoTime()}), if it did. */
  private Long askedToQuitAt;

  /**
   * The interface on this process's terminal, with history in {@code historyFile}. Outside the
   * prompt, a Ctrl-C would otherwise kill the JVM at once (jline leaves SIGINT at its default
   * there), skipping the byes and the removal of the port mapping; instead it asks, and a second
   * one quits through the shutdown hook, as SIGTERM does.
   */
  public static TerminalUi onSystemTerminal(Path historyFile, TerminalPolicy policy, Timestamps timestamps)
      throws IOException {
    Terminal terminal = TerminalBuilder.builder().system(true).name("p2p-chat").build();
    TerminalUi ui = new TerminalUi(terminal, historyFile, policy, timestamps);
    terminal.handle(Terminal.Signal.INT, signal -> {
      if (ui.ctrlCConfirmsQuit()) System.exit(0);
    });
    return ui;
  }

  public TerminalUi(Terminal terminal, Path historyFile, TerminalPolicy policy, Timestamps timestamps) {
    this.terminal = terminal;
    this.policy = policy;
    this.timestamps = timestamps;
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("p2p-chat")
        .variable(LineReader.HISTORY_FILE, historyFile)
        .completer(this::complete)
        .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
  }

  @Override
  public ChatView view() {
    return this;
  }

  @Override
  public void run(Input input) {
    this.input = input;
    boolean toldAboutHistory = false;
    while (true) {
      String line;
      try {
        line = reader.readLine(input.prompt());
      } catch (EndOfFileException e) {
        return; // Ctrl-D on an empty line
      } catch (UserInterruptException e) {
        String typed = e.getPartialLine();
        if (!typed.isBlank()) {
          reader.getHistory().add(typed);
          if (!toldAboutHistory) show(Notice.info("(line cleared; Up brings it back)"));
          toldAboutHistory = true;
          forgetCtrlC();
        } else if (ctrlCConfirmsQuit()) {
          return;
        }
        continue;
      }
      forgetCtrlC();
      if (!input.handle(line)) return;
    }
  }

  /**
   * A Ctrl-C with nothing typed: true if it follows one that asked within {@link #CTRL_C_AGAIN},
   * else it asks. Called by the reading thread and by the signal handler.
   */
  private boolean ctrlCConfirmsQuit() {
    long now = System.nanoTime();
    synchronized (this) {
      if (askedToQuitAt != null && now - askedToQuitAt < CTRL_C_AGAIN.toNanos()) return true;
      askedToQuitAt = now;
    }
    show(Notice.info("press Ctrl-C again or type /quit to leave"));
    return false;
  }

  private synchronized void forgetCtrlC() {
    askedToQuitAt = null;
  }

  private void complete(LineReader r, ParsedLine line, List<Candidate> candidates) {
    Input in = input;
    if (in != null) in.complete(line.word(), line.wordIndex()).forEach(w -> candidates.add(new Candidate(w)));
  }

  @Override
  public void show(ChatEvent event) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    timestamps.now().ifPresent(time -> b.style(AttributedStyle.DEFAULT.faint()).append(time).append(' '));
    b.style(AttributedStyle.DEFAULT);
    if (event instanceof Chat) {
      Chat chat = (Chat) event;
      b.append('<').style(nickStyle(chat.from())).append(chat.from()).style(AttributedStyle.DEFAULT).append("> ");
      b.style(AttributedStyle.DEFAULT.italic()).append(chat.directTag()).style(AttributedStyle.DEFAULT);
      // A message of several lines: the later ones start under the first, so a peer cannot pass
      // one of them off as a line of its own.
      String indent = "\n" + " ".repeat(b.columnLength());
      b.append(chat.message().replace("\n", indent));
    } else if (event instanceof ChatEvent.PeerJoined) {
      ChatEvent.PeerJoined j = (ChatEvent.PeerJoined) event;
      b.style(nickStyle(j.nick())).append(j.nick()).style(AttributedStyle.DEFAULT.faint())
          .append(" joined (" + j.address() + ")");
    } else if (event instanceof ChatEvent.PeerLeft) {
      ChatEvent.PeerLeft l = (ChatEvent.PeerLeft) event;
      b.style(nickStyle(l.nick())).append(l.nick()).style(AttributedStyle.DEFAULT.faint())
          .append(" left (" + l.reason() + ")");
    } else if (event instanceof ChatEvent.ShareAddress) {
      b.style(AttributedStyle.BOLD).append("Share this address: ")
          .style(policy.apply(AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)))
          .append(((ChatEvent.ShareAddress) event).token().toString());
    } else if (event instanceof ChatEvent.NotConfirmed || event instanceof ChatEvent.PeerError) {
      b.style(policy.apply(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW))).append(event.text());
    } else {
      b.style(policy.apply(noticeStyle(((Notice) event).level()))).append(event.text());
    }
    reader.printAbove(b.toAttributedString());
  }

  private static AttributedStyle noticeStyle(ChatEvent.Level level) {
    switch (level) {
      case SUCCESS:
        return AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
      case WARNING:
        return AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
      case ERROR:
        return AttributedStyle.BOLD.foreground(AttributedStyle.RED);
      default:
        return AttributedStyle.DEFAULT;
    }
  }

  /** The nick's own colour, the same in every line (bold only without colour). */
  private AttributedStyle nickStyle(String nick) {
    return policy.apply(AttributedStyle.BOLD.foreground(NICK_COLOURS[Math.floorMod(nick.hashCode(), NICK_COLOURS.length)]));
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      log.warn("could not save history: {}", e.toString());
    }
    try {
      terminal.close();
    } catch (IOException e) {
      log.debug("closing terminal", e);
    }
  }
}
