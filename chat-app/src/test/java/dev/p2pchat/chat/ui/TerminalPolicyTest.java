package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class TerminalPolicyTest {
  @Test
  void colourAndLineEditingByDefault() {
    assertEquals(new TerminalPolicy(true, true), TerminalPolicy.from(Map.of()));
    assertEquals(new TerminalPolicy(true, true), TerminalPolicy.from(Map.of("TERM", "xterm-256color")));
    assertEquals(new TerminalPolicy(true, true), TerminalPolicy.from(Map.of("TERM", "dumb-color")));
  }

  @Test
  void noColorSetToAnythingButEmptyTurnsColourOff() {
    for (String value : new String[] {"1", "0", "false", "yes", " "}) {
      assertEquals(new TerminalPolicy(false, true), TerminalPolicy.from(Map.of("NO_COLOR", value, "TERM", "xterm")), value);
    }
    assertEquals(new TerminalPolicy(true, true), TerminalPolicy.from(Map.of("NO_COLOR", "", "TERM", "xterm")));
  }

  @Test
  void aDumbTerminalHasNeitherColourNorLineEditing() {
    assertEquals(new TerminalPolicy(false, false), TerminalPolicy.from(Map.of("TERM", "dumb")));
    assertEquals(new TerminalPolicy(false, false), TerminalPolicy.from(Map.of("TERM", "dumb", "NO_COLOR", "1")));
  }

  @Test
  void stylesLoseTheirColoursOnlyWhenColourIsOff() {
    AttributedStyle style = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN).background(AttributedStyle.BLUE);
    String plain = ansi(new TerminalPolicy(false, true).apply(style));
    assertTrue(plain.contains("\u001b[1m"), "bold stays: " + plain);
    assertFalse(plain.matches("(?s).*\u001b\\[[0-9;]*(3|4)[0-9]m.*"), "no colour: " + plain);
    String coloured = ansi(new TerminalPolicy(true, true).apply(style));
    assertTrue(coloured.contains("32") && coloured.contains("44"), "green on blue: " + coloured);
  }

  private static String ansi(AttributedStyle style) {
    return new AttributedString("x", style).toAnsi();
  }
}
