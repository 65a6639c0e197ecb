package dev.p2pchat.chat.node;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Nicks are labels a peer chooses, so two peers may pick one nick, or one that looks like
 * another's. This tells which nicks must be shown with the peer's short fingerprint: a nick
 * that looks the same as another one present (or ours, or a known peer's) after folding, and a
 * nick that mixes scripts (Latin with Cyrillic, say), which is how look-alikes are made.
 */
final class NickLabels {
  /**
   * Letters of other scripts that look like Latin ones (Cyrillic and Greek), and digits that pass
   * for letters; a small subset of Unicode's confusables (UTS #39), enough for nicks.
   */
  private static final String LOOK_ALIKES = "аaеeоoрpсcуyхxіiјjѕsԁdһhӏlαaοoρpνvτtκkιiχx0o1l";

  private NickLabels() {}

  /**
   * The form two nicks share when people would take one for the other: NFKC (full-width and
   * styled letters become plain ones), invisible characters dropped, lower case, look-alikes
   * folded.
   */
  static String skeleton(String nick) {
    String folded = Normalizer.normalize(nick, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder(folded.length());
    folded.codePoints().forEach(cp -> {
      if (Character.getType(cp) == Character.FORMAT) return; // zero-width (non-)joiners and kin
      int at = cp < 0x10000 ? LOOK_ALIKES.indexOf(cp) : -1;
      b.appendCodePoint(at >= 0 && at % 2 == 0 ? LOOK_ALIKES.charAt(at + 1) : cp);
    });
    return b.toString().replace("rn", "m").replace("vv", "w");
  }

  /** Whether the nick's letters come from more than one script. */
  static boolean mixesScripts(String nick) {
    Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
    nick.codePoints().filter(Character::isLetter).forEach(cp -> {
      UnicodeScript script = UnicodeScript.of(cp);
      if (script != UnicodeScript.COMMON && script != UnicodeScript.INHERITED) scripts.add(script);
    });
    return scripts.size() > 1;
  }
}
