package dev.p2pchat.chat;

import dev.p2pchat.chat.node.ChatEvent.Notice;
import dev.p2pchat.chat.node.ChatView;
import dev.p2pchat.chat.node.Node;
import dev.p2pchat.chat.node.PeerInfo;
import dev.p2pchat.chat.node.Printable;
import dev.p2pchat.chat.ui.Input;
import dev.p2pchat.chat.trust.Fingerprint;
import dev.p2pchat.chat.trust.TokenFormatException;
import dev.p2pchat.chat.ui.MessageSplitter;
import dev.p2pchat.chat.ui.NickArgument;
import dev.p2pchat.chat.ui.PastedAddress;
import dev.p2pchat.protocol.Limits;
import java.util.List;
import java.util.Optional;

/** Turns what the user types into node actions; shared by the terminal and the plain mode. */
final class SlashCommands implements Input {
  static final List<String> NAMES = List.of("/help", "/connect", "/msg", "/peers", "/nick", "/whois", "/trust", "/accept", "/status", "/quit");
  /**
   * The most parts a long text is sent in: well within what a peer takes in one burst (its
   * inbound rate) and what its outgoing queue holds, so a long paste never gets us dropped.
   */
  static final int MAX_PARTS = 32;
  private static final List<String> HELP = List.of(
      "Type a line to send it to every peer; paste a friend's share line to dial it. Commands:",
      "  /connect ip:port#fingerprint   dial exactly the peer whose share line that is",
      "  /connect ip:port   dial a peer, trusting its key on first use",
      "  /msg NICK text     send a line to one peer only",
      "  /peers             list peers: address, round-trip time, fingerprint",
      "  /nick NAME         change your nickname",
      "  /whois NICK        the full fingerprint of each peer called NICK (or a look-alike)",
      "  /trust [FINGERPRINT]  accept the key of a peer just refused, after checking it",
      "  /accept NICK       let a peer who dialled you learn where your other peers are",
      "  /status            router, port mapping, external address, lease left",
      "  /quit              say bye, remove the port mapping and exit (or Ctrl-D, or Ctrl-C twice)");

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
    Optional<PastedAddress> pasted = PastedAddress.recognise(text);
    if (pasted.isPresent()) {
      connect(pasted.get().token(), " (from " + pasted.get().source().description() + ")");
    } else {
      send(null, text);
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
        else connect(arg, "");
        break;
      case "/msg":
        if (parts.length < 3) usage("/msg NICK text");
        else send(arg, parts[2]);
        break;
      case "/peers":
        peers();
        break;
      case "/nick":
        if (arg == null) info("you are " + node.nick());
        else nick(text.substring(parts[0].length()));
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

  /**
   * Dials what the user gave: {@code IP:PORT#FINGERPRINT} pins the peer's key, a bare
   * {@code IP:PORT} trusts it on first use; {@code origin} says where it came from.
   */
  private void connect(String typed, String origin) {
    try {
      DialTarget.parse(typed).dial(node, origin);
    } catch (TokenFormatException e) {
      view.show(Notice.warning(e.getMessage()));
    }
  }

  /**
   * Sends {@code text} to everyone ({@code to} null) or to one peer, in several lines if it is
   * longer than a message may be; says so when it is.
   */
  private void send(String to, String text) {
    List<MessageSplitter.Part> parts = MessageSplitter.split(text);
    if (parts.size() > MAX_PARTS) {
      view.show(Notice.warning("not sent: " + text.codePointCount(0, text.length()) + " characters are more than "
          + MAX_PARTS + " lines of " + Limits.MAX_TEXT_LENGTH + " hold; send it in smaller pieces"));
      return;
    }
    int sent = 0;
    for (MessageSplitter.Part part : parts) {
      if (part.text().isEmpty()) continue; // the text ended with the separator dropped before it
      if (to == null ? node.broadcast(part.text()) == 0 : !node.sendTo(to, part.text())) return;
      sent++;
    }
    if (sent > 1) info("(sent as " + sent + " lines, each at most " + Limits.MAX_TEXT_LENGTH + " characters)");
  }

  private void nick(String argument) {
    Optional<String> problem = NickArgument.problem(argument);
    if (problem.isPresent()) {
      view.show(Notice.warning(problem.get()));
    } else {
      node.changeNick(argument.strip());
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
