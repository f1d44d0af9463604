package io.chorus.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.tx.Transaction;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Receipts round-trip in every transaction type with the type byte in front of all but legacy;
 * the bloom holds every address and topic it was given (and, with overwhelming probability,
 * nothing else); list roots are the position-keyed trie's.
 */
class ReceiptAndBloomTest {
  private static final Log TRANSFER = new Log(
      Address.parse("0x6b175474e89094c44da98b954eedeac495271d0f"),
      List.of(Word.fromBytes(Keccak256.INSTANCE.hash(
          "Transfer(address,address,uint256)".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
          Word.of(1), Word.of(2)),
      Hex.decode("00000000000000000000000000000000000000000000000000000000000003e8"));

  @Test
  void receiptsRoundTripInEveryType() {
    for (int type = Transaction.LEGACY; type <= Transaction.BLOB; type++) {
      Receipt receipt = Receipt.of(type, type % 2 == 0, 21_000L * (type + 1), List.of(TRANSFER));
      byte[] encoded = receipt.encode();
      assertEquals(type == Transaction.LEGACY, (encoded[0] & 0xff) >= 0xc0);
      if (type != Transaction.LEGACY) {
        assertEquals(type, encoded[0]);
      }
      assertEquals(receipt, Receipt.decode(encoded));
      assertEquals(List.of(TRANSFER).size(), Receipt.decode(encoded).logs().size());
    }
  }

  @Test
  void badReceiptsAreRefusedWithTheReason() {
    assertThrows(RlpException.class, () -> Receipt.decode(new byte[0]));
    RlpException type = assertThrows(RlpException.class,
        () -> Receipt.decode(new byte[] {0x07, (byte) 0xc0}));
    assertTrue(type.getMessage().contains("unknown receipt type 7"), type.getMessage());
    byte[] status2 = Rlp.encodeList(Rlp.encodeUnsignedLong(2), Rlp.encodeUnsignedLong(0),
        Rlp.encodeBytes(new byte[LogsBloom.BYTES]), Rlp.encodeList(List.of()));
    RlpException status = assertThrows(RlpException.class, () -> Receipt.decode(status2));
    assertTrue(status.getMessage().contains("status"), status.getMessage());
  }

  @Test
  void bloomHoldsWhatWasAddedAndLittleElse() {
    byte[] bloom = LogsBloom.of(List.of(TRANSFER));
    assertTrue(LogsBloom.mightContain(bloom, TRANSFER.address().toArray()));
    for (Word topic : TRANSFER.topics()) {
      assertTrue(LogsBloom.mightContain(bloom, topic.toBytes()));
    }
    int bits = 0;
    for (byte b : bloom) {
      bits += Integer.bitCount(b & 0xff);
    }
    // Four items, three bits each, a few possibly shared.
    assertTrue(bits > 0 && bits <= 12, "bits set: " + bits);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 500; i++) {
      byte[] other = new byte[32];
      random.nextBytes(other);
      assertFalse(LogsBloom.mightContain(bloom, other));
    }
    assertArrayEquals(new byte[LogsBloom.BYTES], LogsBloom.of(List.of()));
    byte[] union = new byte[LogsBloom.BYTES];
    LogsBloom.orInto(union, bloom);
    assertArrayEquals(bloom, union);
    byte[] other = new byte[20];
    other[19] = 1;
    assertFalse(LogsBloom.mightContain(bloom, other), "the test value must be new to the bloom");
    byte[] second = new byte[LogsBloom.BYTES];
    LogsBloom.add(second, other);
    LogsBloom.orInto(union, second);
    assertTrue(LogsBloom.mightContain(union, other));
    assertTrue(LogsBloom.mightContain(union, TRANSFER.address().toArray()));
  }

  @Test
  void rememberedBitsAreTheBitsOfAFreshHash() {
    // More distinct emitters than the memo holds, each seen twice: hits, misses and a clearing.
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 2; round++) {
      SplittableRandom values = new SplittableRandom(13);
      for (int i = 0; i < 5_000; i++) {
        byte[] emitter = new byte[20];
        values.nextBytes(emitter);
        byte[] signature = new byte[32];
        signature[0] = (byte) (i % 7);
        byte[] indexed = new byte[32];
        random.nextBytes(indexed);
        Log log = new Log(Address.of(emitter),
            List.of(Word.fromBytes(signature), Word.fromBytes(indexed)), new byte[0]);
        byte[] expected = new byte[LogsBloom.BYTES];
        for (byte[] value : List.of(emitter, signature, indexed)) {
          // The yellow paper's M3:2048, written out here rather than through LogsBloom.
          byte[] hash = Keccak256.INSTANCE.hash(value);
          for (int pair = 0; pair < 3; pair++) {
            int bit = ((hash[2 * pair] & 7) << 8) | (hash[2 * pair + 1] & 0xff);
            expected[LogsBloom.BYTES - 1 - bit / 8] |= (byte) (1 << (bit % 8));
          }
        }
        assertArrayEquals(expected, LogsBloom.of(List.of(log)), "log " + i + " of round " + round);
      }
    }
  }

  @Test
  void listRootIsThePositionKeyedTrie() {
    assertEquals("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
        Hex.encode(TrieRoots.ofList(Keccak256.INSTANCE, List.of())));
    List<byte[]> receipts = List.of(Receipt.of(2, true, 21_000, List.of()).encode(),
        Receipt.of(0, false, 50_000, List.of(TRANSFER)).encode());
    MerklePatriciaTrie trie = new MerklePatriciaTrie(Keccak256.INSTANCE, new InMemoryNodeStore());
    trie.put(Hex.decode("80"), receipts.get(0));
    trie.put(Hex.decode("01"), receipts.get(1));
    assertArrayEquals(trie.rootHash(), TrieRoots.ofList(Keccak256.INSTANCE, receipts));
  }
}
