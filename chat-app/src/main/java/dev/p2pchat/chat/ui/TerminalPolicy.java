package dev.p2pchat.chat.ui;

import java.util.Map;
import org.jline.utils.AttributedStyle;

/**
 * What the user's environment lets the terminal interface do. Colour is off when {@code NO_COLOR}
 * is set to anything but the empty string (no-color.org) or {@code TERM} is {@code dumb}; line
 * editing (cursor movement, redrawing the prompt) is off when {@code TERM} is {@code dumb}.
 */
public record TerminalPolicy(boolean colour, boolean lineEditing) {
  /** The policy for environment variables {@code env} (such as {@link System#getenv()}). */
  public static TerminalPolicy from(Map<String, String> env) {
    boolean dumb = "dumb".equals(env.get("TERM"));
    String noColour = env.get("NO_COLOR");
    return new TerminalPolicy(!dumb && (noColour == null || noColour.isEmpty()), !dumb);
  }

  /**
   * {@code style} as this policy allows it: without foreground and background colours when
   * colour is off. Bold, faint, italic and underline stay, as no-color.org asks only for no colour.
   */
  public AttributedStyle apply(AttributedStyle style) {
    return colour ? style : style.foregroundOff().backgroundOff();
  }
}
