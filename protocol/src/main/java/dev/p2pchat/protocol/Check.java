package dev.p2pchat.protocol;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Field validation shared by the message constructors; each method returns its value if valid. */
final class Check {
  private Check() {}

  static <T> T present(String field, T value) {
    if (value == null) {
      throw new InvalidFieldException(field, "it is missing");
    }
    return value;
  }

  /** Printable ASCII without spaces: UUIDs, counters, base64url all fit. */
  static String id(String field, String value) {
    present(field, value);
    if (!isId(value)) {
      throw new InvalidFieldException(field, "it must be 1 to " + Limits.MAX_ID_LENGTH
          + " printable ASCII characters without spaces, got " + quote(value));
    }
    return value;
  }

  private static boolean isId(String value) {
    if (value.isEmpty() || value.length() > Limits.MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '!' || c > '~') {
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
    present(field, value);
    int length = 0;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      i += Character.charCount(c);
      if (++length > maxLength) {
        throw new InvalidFieldException(field, "it is longer than " + maxLength + " characters");
      }
      // Unicode's stability policy fixes the control characters (Cc) as U+0000-001F and
      // U+007F-009F; surrogates (Cs) are U+D800-DFFF and only reach here unpaired.
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        throw new InvalidFieldException(field, "it contains an unpaired surrogate " + codePoint(c));
      }
      boolean control = c < ' ' || (c >= 0x7f && c <= 0x9f);
      if (control && !(multiline && (c == '\n' || c == '\t'))) {
        throw new InvalidFieldException(field, "it contains the control character " + codePoint(c));
      }
    }
    return value;
  }

  static String nonEmptyText(String field, String value, int maxLength, boolean multiline) {
    text(field, value, maxLength, multiline);
    if (value.isEmpty()) {
      throw new InvalidFieldException(field, "it is empty");
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

  static List<String> addresses(String field, List<String> values) {
    present(field, values);
    if (values.size() > Limits.MAX_PEERS) {
      throw new InvalidFieldException(field, "it has " + values.size() + " peers, more than "
          + Limits.MAX_PEERS);
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (value == null) {
        throw new InvalidFieldException(field, "peer " + i + " is missing");
      }
      Optional<String> problem = Introduction.problem(value);
      if (problem.isPresent()) {
        throw new InvalidFieldException(field, "peer " + i + ": " + problem.get());
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
