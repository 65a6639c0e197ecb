package dev.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** Each eight-byte test must find the first matching byte exactly, as a byte loop does. */
class SwarTest {
  /** Bytes near every boundary the tests draw: controls, quote, '?', backslash, '\n', DEL, non-ASCII. */
  private static final int[] INTERESTING = {0x00, 0x01, 0x09, 0x0a, 0x0b, 0x1f, 0x20, 0x21, 0x22,
      0x23, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80, 0x81, 0x9f, 0xa0, 0xa2, 0xdc, 0xe2,
      0xfe, 0xff};

  @Test
  void stringSpecialsFindsTheFirstByteAPlainStringCannotHold() {
    check(Swar::stringSpecials, b -> b < 0x20 || b == '"' || b == '\\' || b >= 0x80);
  }

  @Test
  void escapesFindsTheFirstByteJsonMustEscape() {
    check(Swar::escapes, b -> b < 0x20 || b == '"' || b == '\\');
  }

  @Test
  void notPlainFindsTheFirstByteAPlainTextCannotHold() {
    check(Swar::notPlain, b -> b < 0x20 || b == '"' || b == '\\' || b >= 0x7f);
  }

  @Test
  void notPlainOrAlsoFindsTheByteGiven() {
    check(x -> Swar.notPlainOr(x, (byte) '?'),
        b -> b < 0x20 || b == '"' || b == '\\' || b == '?' || b >= 0x7f);
  }

  @Test
  void bytesEqualFindsTheFirstSuchByte() {
    check(x -> Swar.bytesEqual(x, (byte) '\n'), b -> b == '\n');
    check(x -> Swar.bytesEqual(x, (byte) 0xe2), b -> b == 0xe2);
  }

  @Test
  void readTailShiftsOutTheBytesBeforeItsStartAndFillsWithSpaces() {
    byte[] bytes = {'"', 'a', '"', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
    assertEquals(0x2020202020686766L, Swar.readTail(bytes, 7, 10)); // "fgh", then spaces
    assertEquals(0x2020202020202068L, Swar.readTail(bytes, 9, 10));
    assertEquals(0, Swar.notPlain(Swar.readTail(bytes, 3, 10)), "a '\"' before the start flags nothing");
    assertEquals(0, Swar.first(Swar.notPlain(Swar.readTail(bytes, 2, 9))), "the '\"' at the start");
  }

  @Test
  void readsLittleEndian() {
    byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    assertEquals(0x0908070605040302L, Swar.read(bytes, 1));
  }

  private static void check(LongUnaryOperator test, IntPredicate matches) {
    Random random = new Random(3);
    for (int i = 0; i < 200_000; i++) {
      byte[] bytes = new byte[8];
      for (int k = 0; k < 8; k++) {
        bytes[k] = (byte) (random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)]
            : random.nextInt(256));
      }
      int first = -1;
      for (int k = 7; k >= 0; k--) {
        first = matches.test(bytes[k] & 0xff) ? k : first;
      }
      long flags = test.applyAsLong(Swar.read(bytes, 0));
      assertEquals(first < 0, flags == 0, i + ": " + Long.toHexString(Swar.read(bytes, 0)));
      if (first >= 0) {
        assertEquals(first, Swar.first(flags), Long.toHexString(Swar.read(bytes, 0)));
        assertTrue((flags & 0x7f7f7f7f7f7f7f7fL) == 0); // only top bits are flags
      }
    }
  }
}
