package dev.p2pchat.chat.ui;

import dev.p2pchat.protocol.Nicknames;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks everything typed after {@code /nick}: a name with spaces is refused with a message that
 * says so and suggests one without, rather than cut at the first space.
 */
public final class NickArgument {
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

  private NickArgument() {}

  /** Empty if {@code argument} (the text after {@code /nick}, trimmed) is a valid nickname, else why not. */
  public static Optional<String> problem(String argument) {
    String nick = argument.strip();
    if (!SPACES.matcher(nick).find()) return Nicknames.problem(nick);
    String suggestion = SPACES.matcher(nick).replaceAll("_");
    return Optional.of("a nickname cannot contain spaces: \"" + nick + "\""
        + (Nicknames.problem(suggestion).isEmpty() ? " (try " + suggestion + ")" : ""));
  }
}
