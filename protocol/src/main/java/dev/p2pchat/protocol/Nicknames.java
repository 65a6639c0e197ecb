package dev.p2pchat.protocol;

import java.util.Optional;

/**
 * The rules for nicknames: 1 to {@value Limits#MAX_NICK_LENGTH} characters (code points), no
 * spaces, no control characters and no invisible formatting characters (such as bidirectional
 * overrides) other than the zero-width joiners used by emoji and some scripts.
 */
public final class Nicknames {
  private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
  private static final int ZERO_WIDTH_JOINER = 0x200D;

  private Nicknames() {}

  /** Returns empty if {@code nick} is a valid nickname, else a human sentence saying why not. */
  public static Optional<String> problem(String nick) {
    if (nick == null) {
      return Optional.of("nickname is missing");
    }
    if (nick.isEmpty()) {
      return Optional.of("nickname is empty");
    }
    int length = 0;
    for (int i = 0; i < nick.length(); ) {
      int c = nick.codePointAt(i);
      i += Character.charCount(c);
      if (++length > Limits.MAX_NICK_LENGTH) {
        return Optional.of("nickname is longer than " + Limits.MAX_NICK_LENGTH + " characters");
      }
      Optional<String> problem = characterProblem(c);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> characterProblem(int c) {
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return Optional.of("nickname contains a space (" + Check.codePoint(c) + ")");
    }
    switch (Character.getType(c)) {
      case Character.CONTROL:
        return Optional.of("nickname contains the control character " + Check.codePoint(c));
      case Character.SURROGATE:
        return Optional.of("nickname contains an unpaired surrogate " + Check.codePoint(c));
      case Character.FORMAT:
        if (c != ZERO_WIDTH_JOINER && c != ZERO_WIDTH_NON_JOINER) {
          return Optional.of("nickname contains the invisible formatting character "
              + Check.codePoint(c));
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }
}
