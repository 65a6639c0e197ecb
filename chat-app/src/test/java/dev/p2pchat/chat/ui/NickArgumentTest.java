package dev.p2pchat.chat.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NickArgumentTest {
  @Test
  void aValidNickHasNoProblem() {
    assertEquals(Optional.empty(), NickArgument.problem("alice"));
    assertEquals(Optional.empty(), NickArgument.problem("  alice  "), "the argument is trimmed");
    assertEquals(Optional.empty(), NickArgument.problem("Zoë"));
  }

  @Test
  void aNameWithSpacesIsRefusedWithASuggestion() {
    assertEquals(Optional.of("a nickname cannot contain spaces: \"a b\" (try a_b)"), NickArgument.problem("a b"));
    assertEquals(Optional.of("a nickname cannot contain spaces: \"Mary  Ann Lee\" (try Mary_Ann_Lee)"),
        NickArgument.problem(" Mary  Ann Lee\t"));
    assertEquals(Optional.of("a nickname cannot contain spaces: \"a\u00a0b\" (try a_b)"), NickArgument.problem("a\u00a0b"));
    assertEquals(Optional.of("a nickname cannot contain spaces: \"a\u3000b\" (try a_b)"), NickArgument.problem("a\u3000b"));
  }

  @Test
  void noSuggestionWhenItWouldNotBeValidEither() {
    String tooLong = "x".repeat(20) + " " + "y".repeat(20);
    assertEquals(Optional.of("a nickname cannot contain spaces: \"" + tooLong + "\""), NickArgument.problem(tooLong));
  }

  @Test
  void otherProblemsAreTheProtocolsOwn() {
    assertEquals(Optional.of("nickname is empty"), NickArgument.problem("   "));
    assertEquals(Optional.of("nickname is longer than 32 characters"), NickArgument.problem("x".repeat(33)));
    assertEquals(Optional.of("nickname contains the control character U+0007"), NickArgument.problem("a\u0007b"));
  }
}
