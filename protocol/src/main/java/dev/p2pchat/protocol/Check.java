package dev.p2pchat.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Field validation shared by the message constructors; each method returns its value if valid. */
final class Check {
  /** From how many chars on a text's printable ASCII prefix is found by {@link #printableAsciiPrefix}. */
  private static final int LONG_TEXT = 16;
  /** What a message id may be, as errors say it. */
  private static final String ID_RULE =
      "1 to " + Limits.MAX_ID_LENGTH + " printable ASCII characters without spaces";

  private Check() {}

  static <T> T present(String field, T value) {
    if (value == null) {
      throw new InvalidFieldException(field, "it is missing");
    }
    return value;
  }

  static String nodeId(String field, String value) {
    present(field, value);
    if (!isId(value, true)) {
      throw new InvalidFieldException(field, "it must be 1 to " + Limits.MAX_ID_LENGTH
          + " letters, digits, '-' or '_', got " + quote(value));
    }
    return value;
  }

  /** Printable ASCII without spaces: UUIDs, "node:seq" counters, base64url all fit. */
  static String id(String field, String value) {
    present(field, value);
    if (!isId(value, false)) {
      throw new InvalidFieldException(field, "it must be " + ID_RULE + ", got " + quote(value));
    }
    return value;
  }

  /**
   * {@code [A-Za-z0-9_-]{1,64}} for node ids, else {@code [!-~]{1,64}}; checked by hand, as a
   * regex costs more than the rest of a decode.
   */
  private static boolean isId(String value, boolean nodeId) {
    if (value.isEmpty() || value.length() > Limits.MAX_ID_LENGTH) {
      return false;
    }
    // Its own loop, not charsIn's: a JIT profile is per method, and charsIn also sees texts with
    // non-Latin-1 chars, which would slow this loop down for ids that never have them.
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = nodeId
          ? (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '-' || c == '_'
          : c >= '!' && c <= '~';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  static String nick(String field, String value) {
    return obeys(field, value, Nicknames::problem);
  }

  /** Text of at most {@code maxLength} code points; newlines and tabs only if {@code multiline}. */
  static String text(String field, String value, int maxLength, boolean multiline) {
    checkText(field, value, maxLength, multiline);
    return value;
  }

  /** What {@link #checkText} found: every char is printable ASCII. */
  private static final int PRINTABLE_ASCII = 1;
  /** What {@link #checkText} found: a '"' or '\\', which JSON escapes. */
  private static final int QUOTED = 2;

  /** Checks as {@link #text} does; returns what it found, {@link #PRINTABLE_ASCII} and {@link #QUOTED}. */
  private static int checkText(String field, String value, int maxLength, boolean multiline) {
    present(field, value);
    // A printable ASCII prefix, often the whole text, is one code point per char and valid.
    int ascii;
    int found;
    if (value.length() >= LONG_TEXT) {
      long prefix = printableAsciiPrefix(value);
      ascii = (int) prefix;
      found = (int) (prefix >>> 32);
    } else {
      ascii = charsIn(value, ' ', '~');
      found = value.indexOf('"') >= 0 || value.indexOf('\\') >= 0 ? QUOTED : 0;
    }
    if (ascii > maxLength) {
      throw tooLong(field, maxLength);
    }
    int length = ascii;
    found |= PRINTABLE_ASCII;
    for (int i = ascii; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (++length > maxLength) {
        throw tooLong(field, maxLength);
      }
      if (c >= ' ' && c < 0x7f) {
        found |= c == '"' || c == '\\' ? QUOTED : 0;
        continue; // printable ASCII, the common case
      }
      found &= ~PRINTABLE_ASCII;
      // Ranges rather than Character.getType: Unicode's stability policy fixes the control
      // characters (Cc) as U+0000-001F and U+007F-009F, and surrogates (Cs) are U+D800-DFFF.
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        throw new InvalidFieldException(field, "it contains an unpaired surrogate " + codePoint(c));
      }
      boolean allowedControl = multiline && (c == '\n' || c == '\t');
      boolean control = c < ' ' || (c >= 0x7f && c <= 0x9f);
      if (control && !allowedControl) {
        throw new InvalidFieldException(field, "it contains the control character " + codePoint(c));
      }
    }
    return found;
  }

  /**
   * How many chars at the start of {@code value} are printable ASCII, at least, in the low 32 bits,
   * and {@link #QUOTED} in the high ones if a '"' or '\\' is among them: found in its Latin-1
   * bytes eight at a time, as the JDK's encoding of a Latin-1 string is a copy, where a loop over
   * the chars costs about two cycles a char (100 ns for a 55-char line). A char up to U+00FF is
   * one byte and anything beyond it a '?', so until the first byte that is not printable ASCII the
   * byte count is the char count: the count goes on past a '?' that the text really holds, and
   * stops at any other, for the caller's loop over code points.
   */
  private static long printableAsciiPrefix(String value) {
    byte[] latin1 = value.getBytes(StandardCharsets.ISO_8859_1);
    int n = latin1.length;
    long quoted = 0;
    int i = 0;
    while (true) {
      long stops = 0;
      while (i + Long.BYTES <= n && (stops = plainTextStops(Swar.read(latin1, i))) == 0) {
        i += Long.BYTES;
      }
      if (stops == 0 && i < n) {
        stops = plainTextStops(Swar.readTail(latin1, i, n));
      }
      if (stops == 0) {
        return quoted << 32 | n;
      }
      i += Swar.first(stops);
      byte b = latin1[i];
      if (b == '"' || b == '\\') {
        quoted = QUOTED;
      } else if (b != '?' || value.charAt(i) != '?') {
        return quoted << 32 | i;
      }
      i++; // a quote or a real '?', which are printable ASCII
    }
  }

  /** Flags each byte of {@code x} that a plain text does not hold, and each '?', in its Latin-1 bytes. */
  private static long plainTextStops(long x) {
    return Swar.notPlainOr(x, (byte) '?');
  }

  /** Whether every char of {@code value} is in {@code [min, max]}. */
  static boolean allCharsIn(String value, char min, char max) {
    return charsIn(value, min, max) == value.length();
  }

  /**
   * How many chars at the start of {@code value} are in {@code [min, max]}: one tight loop for the
   * all-ASCII common case, several times cheaper than walking code points.
   */
  private static int charsIn(String value, char min, char max) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < min || c > max) {
        return i;
      }
    }
    return value.length();
  }

  static String nonEmptyText(String field, String value, int maxLength, boolean multiline) {
    text(field, value, maxLength, multiline);
    requireNotEmpty(field, value);
    return value;
  }

  /**
   * Checks a chat line's text as {@link #nonEmptyText} does, newlines allowed; returns whether it
   * is plain: printable ASCII without '"' or '\\', which a JSON string holds as it is.
   */
  static boolean chatText(String field, String value, int maxLength) {
    int found = checkText(field, value, maxLength, true);
    requireNotEmpty(field, value);
    return found == PRINTABLE_ASCII;
  }

  /** Checks the length of a chat line's text that the caller found plain, and so valid otherwise. */
  static void plainTextLength(String field, String value, int maxLength) {
    if (value.length() > maxLength) {
      throw tooLong(field, maxLength);
    }
    requireNotEmpty(field, value);
  }

  private static InvalidFieldException tooLong(String field, int maxLength) {
    return new InvalidFieldException(field, "it is longer than " + maxLength + " characters");
  }

  private static void requireNotEmpty(String field, String value) {
    if (value.isEmpty()) {
      throw new InvalidFieldException(field, "it is empty");
    }
  }

  static long lineNumber(String field, long value) {
    if (!LineNumbers.isLineNumber(value)) {
      throw new InvalidFieldException(field, "a line number is 1 to 2^60 - 1, not " + value);
    }
    return value;
  }

  static long timestamp(String field, long value) {
    if (value < 0) {
      throw new InvalidFieldException(field, "it must not be negative, got " + value);
    }
    return value;
  }

  static String address(String field, String value) {
    return obeys(field, value, HostPort::problem);
  }

  /** An ack's ids: 1 to {@link Limits#MAX_ACK_IDS}, or none at all unless {@code required}. */
  static List<String> ackIds(String field, List<String> values, boolean required) {
    present(field, values);
    int min = required ? 1 : 0;
    if (values.size() < min || values.size() > Limits.MAX_ACK_IDS) {
      throw new InvalidFieldException(field, "it must hold " + min + " to " + Limits.MAX_ACK_IDS
          + " ids, got " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        throw new InvalidFieldException(field, "id " + i + " is missing");
      }
      if (!isId(value, false)) {
        throw new InvalidFieldException(field, "id " + i + " must be " + ID_RULE + ", got " + quote(value));
      }
    }
    return List.copyOf(values);
  }

  /** An ack's runs: at most {@code max}, none missing. */
  static List<Ack.Run> runs(String field, List<Ack.Run> values, int max) {
    if (values == null) {
      return List.of();
    }
    if (values.size() > max) {
      throw new InvalidFieldException(field, "an ack names at most " + Limits.MAX_ACK_IDS
          + " ids and runs together");
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new InvalidFieldException(field, "run " + i + " is missing");
      }
    }
    return List.copyOf(values);
  }

  static List<String> addresses(String field, List<String> values) {
    present(field, values);
    if (values.size() > Limits.MAX_PEERS) {
      throw new InvalidFieldException(field, "it has " + values.size() + " addresses, more than "
          + Limits.MAX_PEERS);
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        throw new InvalidFieldException(field, "address " + i + " is missing");
      }
      Optional<String> problem = HostPort.problem(value);
      if (problem.isPresent()) {
        throw new InvalidFieldException(field, "address " + i + ": " + problem.get());
      }
    }
    return List.copyOf(values);
  }

  /** {@code s} quoted for a human message: control characters escaped, long values cut short. */
  static String quote(String s) {
    return '"' + escape(s, 40, true) + '"';
  }

  /**
   * {@code s} made safe to show on a terminal or in a log: at most {@code max} characters, with
   * control, formatting and unpaired surrogate characters escaped.
   */
  static String printable(String s, int max) {
    return escape(s, max, false);
  }

  private static String escape(String s, int max, boolean quoted) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
    for (int i = 0; i < s.length() && i < max; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (quoted && (c == '"' || c == '\\')) {
        out.append('\\').append(c);
      } else if (Character.getType(c) == Character.CONTROL || Character.isSurrogate(c)
          || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (s.length() > max) {
      out.append("...");
    }
    return out.toString();
  }

  static String codePoint(int c) {
    return String.format("U+%04X", c);
  }

  private static String obeys(String field, String value,
      Function<String, Optional<String>> rule) {
    present(field, value);
    Optional<String> problem = rule.apply(value);
    if (problem.isPresent()) {
      throw new InvalidFieldException(field, problem.get());
    }
    return value;
  }
}
