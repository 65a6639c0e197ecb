package dev.p2pchat.chat;

import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatView;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.PeerInfo;
import dev.p2pchat.chat.node.Printable;
import dev.p2pchat.chat.ui.Input;
import dev.p2pchat.chat.trust.Fingerprint;
import dev.p2pchat.chat.trust.TokenFormatException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Turns what the user types into node actions; shared by the terminal and the plain mode. */
final class SlashCommands implements Input {
  static final List<String> NAMES = List.of("/help", "/connect", "/msg", "/peers", "/nick", "/whois", "/trust", "/accept", "/status", "/quit");
  private static final Pattern PASTED_ADDRESS = Pattern.compile("[0-9.]+:[0-9]+|\\[[0-9A-Fa-f:.]+]:[0-9]+");
  private static final List<String> HELP = List.of(
      "Type a line to send it to every peer. SlashCommands:",
      "  /connect ip:port#fingerprint   dial exactly the peer whose share line that is",
      "  /connect ip:port   dial a peer, trusting its key on first use (pasting works too)",
      "  /msg NICK text     send a line to one peer only",
      "  /peers             list peers: address, round-trip time, fingerprint",
      "  /nick NAME         change your nickname",
      "  /whois NICK        the full fingerprint of each peer called NICK (or a look-alike)",
      "  /trust [FINGERPRINT]  accept the key of a peer just refused, after checking it",
      "  /accept NICK       let a peer who dialled you learn where your other peers are",
      "  /status            router, port mapping, external address, lease left",
      "  /quit              say bye, remove the port mapping and exit (or Ctrl-D)");

  private final Node node;
  private final ChatView view;

  SlashCommands(Node node, ChatView view) {
    this.node = node;
    this.view = view;
  }

  /**
   * Handles one input line, or a pasted block of lines; returns false when the user asked to quit.
   * A block is one message, and so is the text of a {@code /msg}; any other command takes its own
   * line only, and the lines after it are handled as typed after it.
   */
  @Override
  public boolean handle(String line) {
    String text = line.strip();
    if (text.isEmpty()) return true;
    int newline = text.indexOf('\n');
    if (text.startsWith("/") && newline >= 0) {
      String first = text.substring(0, newline).strip();
      if (!isMsg(first)) {
        String rest = text.substring(newline + 1);
        if (command(first)) return handle(rest);
        if (!rest.isBlank()) view.show(Notice.warning("not sent, as it came after /quit: " + Printable.of(rest.strip())));
        return false;
      }
    }
    if (text.startsWith("/")) return command(text);
    if (PASTED_ADDRESS.matcher(text).matches()) {
      connect(text);
    } else {
      node.broadcast(text);
    }
    return true;
  }

  @Override
  public String prompt() {
    return node.nick() + "> ";
  }

  /** Command names for a first word that starts with '/', else the peers' nicks. */
  @Override
  public List<String> complete(String word, int wordIndex) {
    if (wordIndex == 0 && word.startsWith("/")) return NAMES;
    return node.peers().stream().map(PeerInfo::nick).toList();
  }

  private boolean command(String text) {
    String[] parts = text.split("\\s+", 3);
    String name = parts[0].toLowerCase(java.util.Locale.ROOT);
    String arg = parts.length > 1 ? parts[1] : null;
    switch (name) {
      case "/quit":
      case "/exit":
        return false;
      case "/help":
        HELP.forEach(this::info);
        break;
      case "/connect":
        if (arg == null) usage("/connect ip:port#fingerprint");
        else connect(arg);
        break;
      case "/msg":
        if (parts.length < 3) usage("/msg NICK text");
        else node.sendTo(arg, parts[2]);
        break;
      case "/peers":
        peers();
        break;
      case "/nick":
        if (arg == null) info("you are " + node.nick());
        else node.changeNick(arg);
        break;
      case "/whois":
        if (arg == null) usage("/whois NICK");
        else node.whois(arg).forEach(this::info);
        break;
      case "/accept":
        if (arg == null) usage("/accept NICK");
        else node.accept(arg);
        break;
      case "/trust":
        trust(arg);
        break;
      case "/status":
        node.status().forEach(this::info);
        break;
      default:
        view.show(Notice.warning("unknown command " + parts[0] + " (/help lists them)"));
    }
    return true;
  }

  private static boolean isMsg(String line) {
    return line.split("\\s+", 2)[0].equalsIgnoreCase("/msg");
  }

  private void connect(String typed) {
    try {
      DialTarget.parse(typed).dial(node);
    } catch (TokenFormatException e) {
      view.show(Notice.warning(e.getMessage()));
    }
  }

  /** {@code /trust} accepts the key last refused; {@code /trust FINGERPRINT} only if it was that. */
  private void trust(String typed) {
    if (typed == null) {
      node.trust(Optional.empty());
      return;
    }
    try {
      node.trust(Optional.of(Fingerprint.parse(typed)));
    } catch (TokenFormatException e) {
      view.show(Notice.warning(e.getMessage()));
    }
  }

  private void peers() {
    List<PeerInfo> peers = node.peers();
    if (peers.isEmpty()) {
      info("no peers yet: /connect ip:port, or share your address");
      return;
    }
    for (PeerInfo p : peers) {
      info(String.format("%-16s %-24s %-12s %-14s %s", p.nick(), p.address(),
          p.roundTrip().map(d -> String.format("rtt %.1f ms", d.toNanos() / 1e6)).orElse("rtt ?"),
          p.dialedByUs() ? "(you dialled)" : "(dialled you)", p.fingerprint()));
    }
  }

  private void usage(String usage) {
    view.show(Notice.warning("usage: " + usage));
  }

  private void info(String line) {
    view.show(Notice.info(line));
  }
}
