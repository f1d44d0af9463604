package io.chorus.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.codec.RlpException;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Block headers encode and hash as Ethereum's: the published hashes of mainnet blocks 0 and 1
 * come out of their published fields; a Cancun-shaped header round-trips; malformed input is
 * rejected with the field named.
 */
class BlockHeaderTest {
  private static final byte[] ZERO32 = new byte[32];
  private static final byte[] EMPTY_OMMERS =
      Hex.decode("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
  private static final byte[] EMPTY_TRIE =
      Hex.decode("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

  private static BlockHeader mainnetGenesis() {
    return new BlockHeader(ZERO32, EMPTY_OMMERS, Address.of(new byte[20]),
        Hex.decode("d7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
        EMPTY_TRIE, EMPTY_TRIE, new byte[LogsBloom.BYTES], BigInteger.valueOf(0x400000000L),
        0, 5000, 0, 0,
        Hex.decode("11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa"), ZERO32,
        Hex.decode("0000000000000042"), null, null, null, null, null);
  }

  @Test
  void mainnetGenesisHasItsPublishedHash() {
    assertEquals("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3",
        Hex.encode(mainnetGenesis().hash(Keccak256.INSTANCE)));
  }

  @Test
  void mainnetBlockOneHasItsPublishedHash() {
    BlockHeader one = new BlockHeader(mainnetGenesis().hash(Keccak256.INSTANCE), EMPTY_OMMERS,
        Address.parse("0x05a56e2d52c817161883f50c441c3228cfe54d9f"),
        Hex.decode("d67e4d450343046425ae4271474353857ab860dbc0a1dde64b41b5cd3a532bf3"),
        EMPTY_TRIE, EMPTY_TRIE, new byte[LogsBloom.BYTES], BigInteger.valueOf(0x3ff800000L),
        1, 5000, 0, 0x55ba4224L,
        Hex.decode("476574682f76312e302e302f6c696e75782f676f312e342e32"),
        Hex.decode("969b900de27b6ac6a67742365dd65f55a0526c41fd18e1b16f1a1215c2e66f59"),
        Hex.decode("539bd4979fef1ec4"), null, null, null, null, null);
    assertEquals("88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6",
        Hex.encode(one.hash(Keccak256.INSTANCE)));
  }

  @Test
  void cancunHeaderRoundTrips() {
    BlockHeader header = new BlockHeader(EMPTY_TRIE, EMPTY_OMMERS,
        Address.parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"), EMPTY_TRIE, EMPTY_TRIE,
        EMPTY_TRIE, new byte[LogsBloom.BYTES], BigInteger.ZERO, 42, 30_000_000, 21_000,
        1_700_000_000L, new byte[] {1, 2, 3}, ZERO32, new byte[8], BigInteger.valueOf(7),
        EMPTY_TRIE, 131_072L, 0L, ZERO32);
    BlockHeader decoded = BlockHeader.decode(header.encode());
    assertArrayEquals(header.encode(), decoded.encode());
    assertEquals(header.number(), decoded.number());
    assertEquals(131_072L, decoded.blobGasUsed());
    assertArrayEquals(header.hash(Keccak256.INSTANCE), decoded.hash(Keccak256.INSTANCE));
  }

  @Test
  void aLaterFieldWithoutTheOnesBeforeItIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BlockHeader(ZERO32, EMPTY_OMMERS, Address.of(new byte[20]), ZERO32, ZERO32,
            ZERO32, new byte[LogsBloom.BYTES], BigInteger.ZERO, 0, 0, 0, 0, new byte[0], ZERO32,
            new byte[8], null, EMPTY_TRIE, null, null, null));
    assertTrue(e.getMessage().contains("withdrawalsRoot"), e.getMessage());
  }

  @Test
  void malformedEncodingsNameTheField() {
    byte[] good = mainnetGenesis().encode();
    byte[] trailing = new byte[good.length + 1];
    System.arraycopy(good, 0, trailing, 0, good.length);
    trailing[good.length] = (byte) 0x80;
    RlpException extra = assertThrows(RlpException.class, () -> BlockHeader.decode(trailing));
    assertTrue(extra.getMessage().contains("extra data"), extra.getMessage());
    // Cut the list short: the 15 fields are no longer all there.
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 9);
    assertThrows(RlpException.class, () -> BlockHeader.decode(truncated));
  }
}
