package dev.p2pchat.chat.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.util.encoders.Base32;

/**
 * A node's id: the SHA-256 of its certificate's public key (SubjectPublicKeyInfo), so a new
 * certificate for the same key keeps the id. People read it as Syncthing writes device ids: 52
 * base32 characters (RFC 4648, no padding) in four runs of 13, each run followed by a check
 * character, shown as eight groups of seven: {@code P56IOI7-MZJNU2Y-…-XZWICQ2}. Every second
 * group therefore ends with the check character of itself and the group before it.
 */
public final class Fingerprint {
  /**
   * Groups shown by {@link #shortForm()}: 65 bits, too many to grind a key that looks alike (one
   * group, 35 bits, could be matched in days of computing).
   */
  public static final int SHORT_GROUPS = 2;

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int RUN = 13;
  private static final int RUNS = 4;
  private static final int GROUP = 7;
  private static final int CHECKED_LENGTH = RUNS * (RUN + 1);

  private final byte[] sha256;
  private final String text;

  private Fingerprint(byte[] sha256) {
    this.sha256 = sha256;
    this.text = format(sha256);
  }

  /** The fingerprint of {@code key}: SHA-256 of its X.509 (SubjectPublicKeyInfo) encoding. */
  public static Fingerprint of(PublicKey key) {
    try {
      return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  public static Fingerprint of(X509Certificate certificate) {
    return of(certificate.getPublicKey());
  }

  /** A fingerprint from its 32 digest bytes. */
  public static Fingerprint ofDigest(byte[] sha256) {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
    }
    return new Fingerprint(sha256.clone());
  }

  /**
   * Reads a fingerprint as people type or paste it: any case, with or without dashes and spaces,
   * the digits 0, 1 and 8 read as the letters O, I and B they are easily taken for.
   */
  public static Fingerprint parse(String typed) throws TokenFormatException {
    StringBuilder clean = new StringBuilder(CHECKED_LENGTH);
    for (int i = 0; i < typed.length(); i++) {
      char c = Character.toUpperCase(typed.charAt(i));
      if (c == '-' || c == ' ') continue;
      c = c == '0' ? 'O' : c == '1' ? 'I' : c == '8' ? 'B' : c;
      if (ALPHABET.indexOf(c) < 0) {
        throw new TokenFormatException("a fingerprint has only letters A-Z and digits 2-7, not '"
            + typed.charAt(i) + "' (character " + (i + 1) + ")");
      }
      clean.append(c);
    }
    if (clean.length() != CHECKED_LENGTH) {
      throw new TokenFormatException("a fingerprint has " + CHECKED_LENGTH
          + " letters and digits (eight groups of seven), this one has " + clean.length());
    }
    StringBuilder digits = new StringBuilder(RUNS * RUN);
    for (int run = 0; run < RUNS; run++) {
      String data = clean.substring(run * (RUN + 1), run * (RUN + 1) + RUN);
      if (clean.charAt(run * (RUN + 1) + RUN) != checkCharacter(data)) {
        throw new TokenFormatException("groups " + (2 * run + 1) + " and " + (2 * run + 2)
            + " of the fingerprint do not match their check character: a character there was"
            + " mistyped or misread");
      }
      digits.append(data);
    }
    return new Fingerprint(Base32.decode(digits + "===="));
  }

  /** The first {@link #SHORT_GROUPS} group(s), shown beside nicks; not unique, never for trust. */
  public String shortForm() {
    return text.substring(0, SHORT_GROUPS * (GROUP + 1) - 1);
  }

  public byte[] digest() {
    return sha256.clone();
  }

  /** The full form, eight dash-separated groups of seven. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint && MessageDigest.isEqual(sha256, ((Fingerprint) o).sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  private static String format(byte[] sha256) {
    String digits = Base32.toBase32String(sha256).substring(0, RUNS * RUN); // drops "===="
    StringBuilder checked = new StringBuilder(CHECKED_LENGTH);
    for (int run = 0; run < RUNS; run++) {
      String data = digits.substring(run * RUN, (run + 1) * RUN);
      checked.append(data).append(checkCharacter(data));
    }
    StringBuilder grouped = new StringBuilder(CHECKED_LENGTH + CHECKED_LENGTH / GROUP);
    for (int i = 0; i < CHECKED_LENGTH; i += GROUP) {
      if (i > 0) grouped.append('-');
      grouped.append(checked, i, i + GROUP);
    }
    return grouped.toString();
  }

  /**
   * Luhn mod 32 as Syncthing computes it (lib/protocol/luhn.go: weights 1, 2, 1, … from the left,
   * each product's base-32 digits summed), so our ids check like theirs. It catches every single
   * substituted character: doubling permutes the 32 digits.
   */
  private static char checkCharacter(String run) {
    int sum = 0;
    for (int i = 0; i < run.length(); i++) {
      int product = (i % 2 == 0 ? 1 : 2) * ALPHABET.indexOf(run.charAt(i));
      sum += product / 32 + product % 32;
    }
    return ALPHABET.charAt((32 - sum % 32) % 32);
  }
}
