package dev.p2pchat.chat.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  /** A device id from Syncthing's own tests (lib/protocol/deviceid_test.go): our check agrees. */
  private static final String SYNCTHING_ID =
      "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  @Test
  void digestIsSha256OfTheSubjectPublicKeyInfo() throws Exception {
    // RFC 8410 section 10.1's example key; digest and base32 from sha256sum and coreutils base32
    byte[] spki = Base64.getDecoder().decode("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));

    Fingerprint fingerprint = Fingerprint.of(key);

    assertArrayEquals(HexFormat.of().parseHex(
        "a1e9156054e04fac899ae9f275132cdc07a5dbc4ea2c2ad3a1ffc6e0d253681f"), fingerprint.digest());
    String checked = fingerprint.toString().replace("-", "");
    String digits = checked.substring(0, 13) + checked.substring(14, 27) + checked.substring(28, 41)
        + checked.substring(42, 55);
    assertEquals("UHURKYCU4BH2ZCM25HZHKEZM3QD2LW6E5IWCVU5B77DOBUSTNAPQ", digits);
  }

  @Test
  void checkCharactersAgreeWithSyncthing() throws Exception {
    assertEquals(SYNCTHING_ID, Fingerprint.parse(SYNCTHING_ID).toString());
  }

  @Test
  void roundTripsThroughItsText() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    for (int i = 0; i < 50; i++) {
      Fingerprint fingerprint = Fingerprint.of(generator.generateKeyPair().getPublic());
      Fingerprint parsed = Fingerprint.parse(fingerprint.toString());
      assertEquals(fingerprint, parsed);
      assertEquals(fingerprint.hashCode(), parsed.hashCode());
      assertTrue(fingerprint.toString().matches("([A-Z2-7]{7}-){7}[A-Z2-7]{7}"), fingerprint::toString);
    }
  }

  @Test
  void parsesWhatPeopleTypeAndPaste() throws Exception {
    Fingerprint expected = Fingerprint.parse(SYNCTHING_ID);
    for (String typed : new String[] {
        SYNCTHING_ID.toLowerCase(),
        SYNCTHING_ID.replace('-', ' '),
        SYNCTHING_ID.replace("-", ""),
        "  P56IOI7MZJNU2Y IQGDREY-dm2mgti  MGL3BXNPQ6W5BM TBBZ4TJ XZWICQ2 ",
        SYNCTHING_ID.replace('O', '0').replace('I', '1').replace('B', '8'),
    }) {
      assertEquals(expected, Fingerprint.parse(typed), typed);
    }
  }

  @Test
  void everySingleSubstitutedCharacterIsCaught() throws Exception {
    String checked = Fingerprint.parse(SYNCTHING_ID).toString().replace("-", "");
    int tried = 0;
    for (int position = 0; position < checked.length(); position++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == checked.charAt(position)) continue;
        String typo = checked.substring(0, position) + c + checked.substring(position + 1);
        TokenFormatException e = assertThrows(TokenFormatException.class,
            () -> Fingerprint.parse(typo), typo);
        int group = position / 7 + 1;
        int firstOfPair = group % 2 == 1 ? group : group - 1;
        assertTrue(e.getMessage().contains("groups " + firstOfPair + " and " + (firstOfPair + 1)),
            e.getMessage());
        tried++;
      }
    }
    assertEquals(56 * 31, tried);
  }

  @Test
  void everySwapOfNeighboursInARunIsCaughtButAAndSeven() throws Exception {
    // Luhn's weights 1, 2 map digit d to d - f(d), equal only for 0 and 31: 'A' and '7'
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    int swaps = 0;
    for (int k = 0; k < 50; k++) {
      String checked = Fingerprint.of(generator.generateKeyPair().getPublic()).toString()
          .replace("-", "");
      for (int i = 0; i + 1 < checked.length(); i++) {
        char a = checked.charAt(i);
        char b = checked.charAt(i + 1);
        if (i % 14 >= 12 || a == b) continue; // both must be in the 13 digits of one run
        String swapped = checked.substring(0, i) + b + a + checked.substring(i + 2);
        boolean missed = a == 'A' && b == '7' || a == '7' && b == 'A';
        if (missed) {
          assertNotEquals(Fingerprint.parse(checked), Fingerprint.parse(swapped)); // undetected
        } else {
          assertThrows(TokenFormatException.class, () -> Fingerprint.parse(swapped), swapped);
        }
        swaps++;
      }
    }
    assertTrue(swaps > 2000, swaps + " swaps");
  }

  @Test
  void saysWhatIsWrongWithText() {
    assertEquals("a fingerprint has only letters A-Z and digits 2-7, not '9' (character 3)",
        assertThrows(TokenFormatException.class, () -> Fingerprint.parse("P59IOI7")).getMessage());
    assertEquals("a fingerprint has 56 letters and digits (eight groups of seven), this one has 55",
        assertThrows(TokenFormatException.class,
            () -> Fingerprint.parse(SYNCTHING_ID.substring(1))).getMessage());
    assertEquals("a fingerprint has 56 letters and digits (eight groups of seven), this one has 0",
        assertThrows(TokenFormatException.class, () -> Fingerprint.parse("")).getMessage());
    // Syncthing still reads its old ids without check characters; we never issued any
    assertThrows(TokenFormatException.class,
        () -> Fingerprint.parse("P56IOI7MZJNU2IQGDREYDM2MGTMGL3BXNPQ6W5BTBBZ4TJXZWICQ"));
  }

  @Test
  void shortFormIsTheFirstTwoGroups() throws Exception {
    assertEquals("P56IOI7-MZJNU2Y", Fingerprint.parse(SYNCTHING_ID).shortForm());
  }

  @Test
  void differentKeysDiffer() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    assertNotEquals(Fingerprint.of(generator.generateKeyPair().getPublic()),
        Fingerprint.of(generator.generateKeyPair().getPublic()));
  }
}
