package dev.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NicknamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"alice", "a", "Bob_the-2nd", "ボブ", "محمد", "😀", "👩‍👩‍👧", "क्‍ष",
      "x.y@z", "abcdefghijklmnopqrstuvwxyz012345"})
  void accepts(String nick) {
    assertEquals(Optional.empty(), Nicknames.problem(nick));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                 | nickname is empty",
      "abcdefghijklmnopqrstuvwxyz0123456  | nickname is longer than 32 characters",
      "two words                          | nickname contains a space (U+0020)",
      "'tab\there'                        | nickname contains a space (U+0009)",
      "'no\u00a0break'                    | nickname contains a space (U+00A0)",
      "'bell\u0007'                       | nickname contains the control character U+0007",
      "'esc\u001b[31m'                    | nickname contains the control character U+001B",
      "'del\u007f'                        | nickname contains the control character U+007F",
      "'c1\u0085'                         | nickname contains the control character U+0085",
      "'evil\u202etxt.exe'                | nickname contains the invisible formatting character U+202E",
      "'zero\u200bwidth'                  | nickname contains the invisible formatting character U+200B",
      "'lone\ud800'                       | nickname contains an unpaired surrogate U+D800"})
  void rejectsWithAReason(String nick, String reason) {
    assertEquals(Optional.of(reason), Nicknames.problem(nick));
  }

  @Test
  void lengthCountsCodePointsNotChars() {
    assertEquals(Optional.empty(), Nicknames.problem("😀".repeat(32)));
    assertTrue(Nicknames.problem("😀".repeat(33)).isPresent());
  }

  @Test
  void nullIsMissing() {
    assertEquals(Optional.of("nickname is missing"), Nicknames.problem(null));
  }
}
