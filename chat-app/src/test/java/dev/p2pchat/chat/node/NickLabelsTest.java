package dev.p2pchat.chat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NickLabelsTest {
  @Test
  void lookAlikesShareASkeleton() {
    String bob = NickLabels.skeleton("bob");
    assertEquals(bob, NickLabels.skeleton("Bob"));
    assertEquals(bob, NickLabels.skeleton("ｂｏｂ")); // full width, folded by NFKC
    assertEquals(bob, NickLabels.skeleton("b\u200dob")); // a zero-width joiner
    assertEquals(bob, NickLabels.skeleton("b\u200cob\u2060")); // non-joiner, word joiner
    assertEquals(bob, NickLabels.skeleton("bоb")); // Cyrillic о
    assertEquals(bob, NickLabels.skeleton("b0b"));
    assertEquals(NickLabels.skeleton("mallory"), NickLabels.skeleton("rnallory"));
    assertEquals(NickLabels.skeleton("alice"), NickLabels.skeleton("аlice")); // Cyrillic а
    assertNotEquals(bob, NickLabels.skeleton("rob"));
    assertNotEquals(NickLabels.skeleton("ボブ"), NickLabels.skeleton("ボボ"));
  }

  @Test
  void mixedScriptsAreNoticed() {
    assertTrue(NickLabels.mixesScripts("bоb"));
    assertTrue(NickLabels.mixesScripts("pаypal"));
    assertFalse(NickLabels.mixesScripts("bob"));
    assertFalse(NickLabels.mixesScripts("ボブ"));
    assertFalse(NickLabels.mixesScripts("боб"));
    assertFalse(NickLabels.mixesScripts("bob_42😀"));
  }
}
