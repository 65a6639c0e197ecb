package dev.p2pchat.chat.ui;

import java.util.List;

/** Where what the user types goes, as a user interface needs it. */
public interface Input {
  /** Handles one typed line, or a pasted block of lines; false when the user asked to quit. */
  boolean handle(String line);

  /** The prompt to show before the next line. */
  String prompt();

  /** Words that could complete {@code word}, the {@code wordIndex}th word of the line. */
  List<String> complete(String word, int wordIndex);
}
