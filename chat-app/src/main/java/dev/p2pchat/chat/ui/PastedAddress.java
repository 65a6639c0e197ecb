package dev.p2pchat.chat.ui;

import dev.p2pchat.protocol.HostPort;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address to dial recognised in a typed or pasted line, so that pasting what a friend sent
 * connects instead of being sent as chat.
 *
 * <p>The rule: after trimming, the <em>whole</em> line must be one address, optionally
 * <ul>
 *   <li>after a line the node prints, {@code Share this address:} or {@code LAN address:} (any
 *       case), itself optionally after a copied {@code 14:02} timestamp;
 *   <li>wrapped in {@code < > ( ) [ ] { } " ' ` “ ” ‘ ’ « »} and followed by sentence punctuation
 *       ({@code . , ; : ! ? …});
 * </ul>
 * where the address is an IPv4 literal or a bracketed IPv6 literal, then a port after {@code :}
 * or spaces, then optionally {@code #} and a fingerprint of letters, digits and dashes (kept as
 * typed; its own parser checks it). Host names are not recognised (a line such as
 * {@code lunch:12} is chat; {@code /connect} takes them), nor is anything with other words
 * around it ({@code see 1.2.3.4:80 for details}), a URL, or an IPv6 address without brackets.
 *
 * @param fingerprint the text after {@code #}, if any
 */
public record PastedAddress(HostPort address, Optional<String> fingerprint, Source source) {
  /** What the address was recognised in. */
  public enum Source {
    SHARE_LINE("the pasted share line"),
    LAN_LINE("the pasted LAN address line"),
    ADDRESS("the pasted address");

    private final String description;

    Source(String description) {
      this.description = description;
    }

    /** For "Connecting to 5.6.7.1:48083 (from the pasted share line)…". */
    public String description() {
      return description;
    }
  }

  private static final String OPENERS = "[<(\\[{\"'`“‘«]*";
  private static final String CLOSERS = "[>)\\]}\"'`”’».,;:!?…]*";
  private static final Pattern LINE = Pattern.compile(OPENERS
          + "(?:(?:\\d{1,2}:\\d{2}\\s+)?(?<prefix>(?i:share\\s+this\\s+address|lan\\s+address)):\\s*)?"
          + OPENERS
          + "(?<host>\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9A-Fa-f:.]+])"
          + "(?::|[ \\t]+)(?<port>\\d{1,5})"
          + "(?:#(?<fingerprint>[A-Za-z0-9-]+))?"
          + CLOSERS);

  /** The address {@code line} consists of, by the rule above; empty if it is anything else. */
  public static Optional<PastedAddress> recognise(String line) {
    Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) return Optional.empty();
    String address = m.group("host") + ":" + m.group("port");
    if (HostPort.problem(address).isPresent()) return Optional.empty();
    String prefix = m.group("prefix");
    Source source = prefix == null ? Source.ADDRESS
        : prefix.toLowerCase(Locale.ROOT).startsWith("share") ? Source.SHARE_LINE
        : Source.LAN_LINE;
    return Optional.of(new PastedAddress(HostPort.parse(address), Optional.ofNullable(m.group("fingerprint")), source));
  }

  /** {@code 5.6.7.1:48083}, with {@code #FINGERPRINT} if one was pasted: the token to dial. */
  public String token() {
    return address + fingerprint.map(f -> "#" + f).orElse("");
  }

  /** {@code 5.6.7.1:48083 (from the pasted share line)}, for the line saying what is dialled. */
  public String describe() {
    return address + " (from " + source.description() + ")";
  }
}
