package io.chorus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RLP encoding rules and the strict decoder's rejections, each naming what and where. */
class RlpTest {

  @Test
  void encodesTheYellowPaperExamples() {
    assertEquals("83646f67", Hex.encode(Rlp.encodeBytes("dog".getBytes())));
    assertEquals("c88363617483646f67", Hex.encode(Rlp.encodeList(
        Rlp.encodeBytes("cat".getBytes()), Rlp.encodeBytes("dog".getBytes()))));
    assertEquals("80", Hex.encode(Rlp.encodeBytes(new byte[0])));
    assertEquals("c0", Hex.encode(Rlp.encodeList()));
    assertEquals("80", Hex.encode(Rlp.encodeUnsignedLong(0)));
    assertEquals("0f", Hex.encode(Rlp.encodeUnsignedLong(15)));
    assertEquals("820400", Hex.encode(Rlp.encodeUnsignedLong(1024)));
    assertEquals("88ffffffffffffffff", Hex.encode(Rlp.encodeUnsignedLong(-1L)));
  }

  @Test
  void encodesLongStringsWithALengthOfLength() {
    byte[] text = new byte[56];
    byte[] encoded = Rlp.encodeBytes(text);
    assertEquals(0xb8, encoded[0] & 0xff);
    assertEquals(56, encoded[1]);
    assertEquals(58, encoded.length);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource({
      "8100, 0, single byte below 0x80 must be encoded as itself",
      "b800, 0, length has leading zero bytes",
      "b837" + "00, 0, length 55 must use the short form",
      "f800, 0, length has leading zero bytes",
      "83646f, 0, runs past the end of its input",
      "c2836f, 1, runs past the end of its enclosing list",
      "8000, 1, input after its first RLP item has unexpected extra data",
      "'', 0, expected an item, found the end of the input",
      "bfffffffffffffffffff, 0, length does not fit in 63 bits",
  })
  void rejectsNonCanonicalInputNamingTheOffset(String hex, int offset, String problem) {
    RlpException e = assertThrows(RlpException.class, () -> Rlp.decode(Hex.decode(hex)));
    assertEquals(offset, e.offset());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void readerChecksScalarsAndFieldSizes() {
    RlpReader leadingZero = RlpReader.of(Hex.decode("820001"));
    RlpException e = assertThrows(RlpException.class, () -> leadingZero.readUnsignedLong("nonce"));
    assertTrue(e.getMessage().contains("nonce has leading zero bytes"), e.getMessage());

    RlpReader tooWide = RlpReader.of(Rlp.encodeBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
    e = assertThrows(RlpException.class, () -> tooWide.readUnsignedLong("gas"));
    assertTrue(e.getMessage().contains("gas is 9 bytes"), e.getMessage());

    RlpReader list = RlpReader.of(Rlp.encodeList());
    e = assertThrows(RlpException.class, () -> list.readUInt256("value"));
    assertTrue(e.getMessage().contains("value must be a byte string, found a list"));

    RlpReader address = RlpReader.of(Rlp.encodeBytes(new byte[19]));
    e = assertThrows(RlpException.class, () -> address.readBytes(20, "to"));
    assertTrue(e.getMessage().contains("to must be 20 bytes, found 19"), e.getMessage());
  }

  @Test
  void readerWalksNestedListsAndReturnsRawItems() {
    byte[] encoded = Rlp.encodeList(Rlp.encodeUnsignedLong(7),
        Rlp.encodeList(Rlp.encodeBytes("a".getBytes())), Rlp.encodeBytes(new byte[40]));
    RlpReader outer = RlpReader.of(encoded).readList();
    assertEquals(7, outer.readUnsignedLong("n"));
    assertTrue(outer.nextIsList());
    assertArrayEquals(Rlp.encodeList(Rlp.encodeBytes("a".getBytes())), outer.readRaw());
    outer.skip();
    assertFalse(outer.hasNext());
    outer.requireEnd("outer list");
  }

  @Test
  void treeDecodingBoundsNesting() {
    byte[] deep = Rlp.EMPTY_LIST;
    for (int i = 0; i < Rlp.DEPTH_MAX + 1; i++) {
      deep = Rlp.encodeList(deep);
    }
    byte[] tooDeep = deep;
    RlpException e = assertThrows(RlpException.class, () -> Rlp.decode(tooDeep));
    assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
  }

  @Property
  void unsignedLongsRoundTrip(@ForAll long value) {
    RlpReader reader = RlpReader.of(Rlp.encodeUnsignedLong(value));
    assertEquals(value, reader.readUnsignedLong("value"));
  }

  @Property
  void bigIntegersRoundTrip(@ForAll("uint256") BigInteger value) {
    byte[] encoded = Rlp.encodeBigInteger(value);
    assertEquals(value, RlpReader.of(encoded).readBigInteger("value", 32));
    assertEquals(UInt256.valueOf(value), RlpReader.of(encoded).readUInt256("value"));
  }

  @Property
  void treesRoundTrip(@ForAll("items") RlpItem item) {
    assertEquals(item, Rlp.decode(Rlp.encode(item)));
  }

  @Provide
  Arbitrary<BigInteger> uint256() {
    return Arbitraries.bigIntegers().between(BigInteger.ZERO, UInt256.MAX.toBigInteger());
  }

  @Provide
  Arbitrary<RlpItem> items() {
    Arbitrary<RlpItem> leaf = Arbitraries.bytes().array(byte[].class).ofMaxSize(80)
        .map(RlpItem::bytes);
    return Arbitraries.recursive(() -> leaf,
        inner -> inner.list().ofMaxSize(5).map(RlpItem::list), 0, 4);
  }
}
