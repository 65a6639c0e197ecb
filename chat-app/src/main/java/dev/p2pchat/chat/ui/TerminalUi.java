package dev.p2pchat.chat.ui;

import dev.p2pchat.chat.node.ChatEvent.Chat;
import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatEvent;
import dev.p2pchat.chat.node.ChatView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
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
 * commands and nicks; events are printed above the prompt, with colours and a timestamp, without
 * disturbing what the user is typing.
 */
public final class TerminalUi implements Ui, ChatView {
  private static final Logger log = LoggerFactory.getLogger(TerminalUi.class);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
  private static final int[] NICK_COLOURS = {
    AttributedStyle.GREEN, AttributedStyle.YELLOW, AttributedStyle.BLUE,
    AttributedStyle.MAGENTA, AttributedStyle.CYAN, AttributedStyle.RED
  };

  private final Terminal terminal;
  private final LineReader reader;
  private volatile Input input;

  /** The interface on this process's terminal, with history in {@code historyFile}. */
  public static TerminalUi onSystemTerminal(Path historyFile) throws IOException {
    return new TerminalUi(TerminalBuilder.builder().system(true).name("p2p-chat").build(), historyFile);
  }

  public TerminalUi(Terminal terminal, Path historyFile) {
    this.terminal = terminal;
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
    while (true) {
      String line;
      try {
        line = reader.readLine(input.prompt());
      } catch (UserInterruptException | EndOfFileException e) {
        return;
      }
      if (!input.handle(line)) return;
    }
  }

  private void complete(LineReader r, ParsedLine line, List<Candidate> candidates) {
    Input in = input;
    if (in != null) in.complete(line.word(), line.wordIndex()).forEach(w -> candidates.add(new Candidate(w)));
  }

  @Override
  public void show(ChatEvent event) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    b.style(AttributedStyle.DEFAULT.faint()).append(LocalTime.now().format(CLOCK)).append(' ');
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
          .style(AttributedStyle.BOLD.foreground(AttributedStyle.GREEN))
          .append(((ChatEvent.ShareAddress) event).token().toString());
    } else if (event instanceof ChatEvent.NotConfirmed) {
      b.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)).append(event.text());
    } else {
      b.style(noticeStyle(((Notice) event).level())).append(event.text());
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

  private static AttributedStyle nickStyle(String nick) {
    return AttributedStyle.BOLD.foreground(NICK_COLOURS[Math.floorMod(nick.hashCode(), NICK_COLOURS.length)]);
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
