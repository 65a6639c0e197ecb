package dev.p2pchat.chat.node;

import dev.p2pchat.chat.trust.ShareToken;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Something the user should see. {@link #text()} is the stable one-line form that plain mode
 * prints and that tests and scripts parse; the terminal view adds colour and a timestamp.
 */
public sealed interface ChatEvent {
  /** The event as one line of plain text, without escape codes. */
  String text();

  /** How a notice should be highlighted. */
  enum Level { INFO, SUCCESS, WARNING, ERROR }

  /** A line from the node itself: progress, command output, warnings. */
  record Notice(Level level, String text) implements ChatEvent {
    public Notice {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(text, "text");
    }

    public static Notice info(String text) {
      return new Notice(Level.INFO, text);
    }

    public static Notice success(String text) {
      return new Notice(Level.SUCCESS, "✓ " + text);
    }

    public static Notice warning(String text) {
      return new Notice(Level.WARNING, "! " + text);
    }

    public static Notice error(String text) {
      return new Notice(Level.ERROR, "✗ " + text);
    }
  }

  /**
   * What others paste to reach exactly this node, its address and fingerprint:
   * {@code Share this address: 5.6.7.1:48083#P56IOI7-MZJNU2Y-…}.
   */
  record ShareAddress(ShareToken token) implements ChatEvent {
    @Override
    public String text() {
      return "Share this address: " + token;
    }

    /** The address part, {@code 5.6.7.1:48083}. */
    public String address() {
      return token.address().toString();
    }
  }

  /** A peer finished its handshake: {@code bob joined (5.6.7.2:48083)}. */
  record PeerJoined(String nick, String address) implements ChatEvent {
    @Override
    public String text() {
      return nick + " joined (" + address + ")";
    }
  }

  /** A peer went away: {@code bob left (said bye: quitting)}. */
  record PeerLeft(String nick, String reason) implements ChatEvent {
    @Override
    public String text() {
      return nick + " left (" + reason + ")";
    }
  }

  /**
   * A chat line, received or sent by this node. {@code to} is null for a line to everyone, else
   * the nick of the one peer it was for. {@code message} may span lines ({@code '\n'}). Plain
   * forms, always one line: {@code <bob> hi}, {@code <bob> (private) hi} for a direct message
   * received, {@code <alice> (to bob) hi} for one sent, {@code <bob> first ↵ second} for a message
   * of two lines.
   */
  record Chat(String from, String to, String message, long timestamp, boolean outgoing)
      implements ChatEvent {
    /** Marks a line break in the one-line form. */
    static final String LINE_BREAK = " \u21b5 ";

    @Override
    public String text() {
      return "<" + from + "> " + directTag() + message.replace("\n", LINE_BREAK);
    }

    public String directTag() {
      if (to == null) return "";
      return outgoing ? "(to " + to + ") " : "(private) ";
    }
  }

  /** A peer's {@code error} message: {@code ! bob reports rate-limited: slow down}. */
  record PeerError(String nick, String code, String reason) implements ChatEvent {
    @Override
    public String text() {
      return "! " + nick + " reports " + code + ": " + reason;
    }
  }

  /**
   * Sent lines some peers did not acknowledge in time, one event for all those found late at
   * once: {@code ! not confirmed by bob: "hi"}, {@code ! not confirmed by bob, carol, dave and 2
   * more: "hi", "again"}. At most {@link #NAMED} nicks and lines are spelled out.
   */
  record NotConfirmed(List<String> nicks, List<String> messages) implements ChatEvent {
    static final int NAMED = 3;

    public NotConfirmed {
      nicks = List.copyOf(nicks);
      messages = List.copyOf(messages);
    }

    public NotConfirmed(String nick, String message) {
      this(List.of(nick), List.of(message));
    }

    @Override
    public String text() {
      return "! not confirmed by " + some(nicks, n -> n, "") + ": " + some(messages, m -> "\"" + m + "\"", " lines");
    }

    private static String some(List<String> all, UnaryOperator<String> form, String unit) {
      String named = all.stream().limit(NAMED).map(form).collect(Collectors.joining(", "));
      return all.size() <= NAMED ? named : named + " and " + (all.size() - NAMED) + " more" + unit;
    }
  }
}
