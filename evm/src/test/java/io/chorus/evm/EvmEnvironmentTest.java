package io.chorus.evm;

import static io.chorus.evm.Harness.CONTRACT;
import static io.chorus.evm.Harness.ETHER;
import static io.chorus.evm.Harness.SENDER;
import static io.chorus.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The opcodes that read the transaction, the block and the frame's data: each program writes
 * what it reads into consecutive memory words and returns them, compared with what the test
 * set up. Partial and out-of-range reads are where word conversions go wrong.
 */
class EvmEnvironmentTest {
  private static final BigInteger MAX_WORD = BigInteger.ONE.shiftLeft(256).subtract(
      BigInteger.ONE);

  /**
   * Runs {@code reads} as {@link Harness#CONTRACT}'s code, each leaving one word on the stack,
   * and returns those words.
   */
  private static byte[] words(BlockEnv block, byte[] calldata, List<Asm> reads) {
    Asm asm = new Asm();
    for (int i = 0; i < reads.size(); i++) {
      asm.append(reads.get(i).bytes()).push(32 * i).op(MSTORE);
    }
    byte[] code = asm.push(32 * reads.size()).op(PUSH0, RETURN).bytes();
    Harness h = new Harness(new MapState().put(SENDER, 0, ETHER, new byte[0])
        .put(CONTRACT, 1, ETHER, code), block);
    Result r = h.call(CONTRACT, calldata, 1_000_000);
    assertEquals(Status.SUCCESS, r.status());
    return r.output();
  }

  private static byte[] concatWords(Word... words) {
    byte[][] parts = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      parts[i] = words[i].toBytes();
    }
    return Bytes.concat(parts);
  }

  private static Word address(Address a) {
    return Word.fromBytes(a.toArray());
  }

  @Test
  void transactionAndBlockContext() {
    List<Asm> reads = List.of(new Asm().op(ADDRESS), new Asm().op(ORIGIN),
        new Asm().op(CALLER), new Asm().op(CALLVALUE), new Asm().op(GASPRICE),
        new Asm().op(COINBASE), new Asm().op(TIMESTAMP), new Asm().op(NUMBER),
        new Asm().op(PREVRANDAO), new Asm().op(GASLIMIT), new Asm().op(CHAINID),
        new Asm().op(SELFBALANCE), new Asm().op(BASEFEE), new Asm().op(BLOBBASEFEE),
        new Asm().push(0).op(BLOBHASH), new Asm().op(CALLDATASIZE));
    BlockEnv b = Harness.BLOCK;
    assertArrayEquals(concatWords(address(CONTRACT), address(SENDER), address(SENDER),
        Word.ZERO, Word.of(10), address(b.coinbase()), Word.of(b.timestamp()),
        Word.of(b.number()), b.prevRandao(), Word.of(b.gasLimit()), Word.of(1),
        Word.fromBigInteger(ETHER), Word.of(10), Word.of(1), Word.ZERO, Word.of(3)),
        words(b, new byte[3], reads));
  }

  @Test
  void calldataReadsPastItsEndAsZeros() {
    byte[] calldata = Hex.decode("0102030405");
    List<Asm> reads = List.of(new Asm().push(0).op(CALLDATALOAD),
        new Asm().push(2).op(CALLDATALOAD), new Asm().push(5).op(CALLDATALOAD),
        new Asm().push(MAX_WORD).op(CALLDATALOAD));
    byte[] first = Bytes.concat(calldata, new byte[27]);
    byte[] third = Bytes.concat(Hex.decode("030405"), new byte[29]);
    assertArrayEquals(Bytes.concat(first, third, new byte[64]),
        words(Harness.BLOCK, calldata, reads));
  }

  @Test
  void codeCopyPadsWithZerosAndMcopyMovesOverlappingRanges() {
    // memory[0..32) = 32 bytes 0x01..0x20; MCOPY(dst 1, src 0, 31) shifts them right by one.
    byte[] pattern = new byte[32];
    for (int i = 0; i < 32; i++) {
      pattern[i] = (byte) (i + 1);
    }
    byte[] code = new Asm().push(pattern).op(PUSH0, MSTORE)
        .push(31).push(0).push(1).op(MCOPY)
        // CODECOPY(mem 32, the code's last byte, 32 bytes): RETURN's 0xf3 and 31 zeros.
        .push(32).push(52).push(32).op(CODECOPY)
        .push(64).op(PUSH0, RETURN).bytes();
    assertEquals(53, code.length);
    byte[] shifted = Bytes.concat(new byte[] {1}, Arrays.copyOf(pattern, 31));
    byte[] tail = new byte[32];
    tail[0] = (byte) RETURN;
    assertArrayEquals(Bytes.concat(shifted, tail), Harness.withCode(code).call(100_000)
        .output());
  }

  @Test
  void blockHashAnswersOnlyForThe256PreviousBlocks() {
    // Block 1000, in a history that hashes block n to n + 1 (so no real hash is 0).
    BlockEnv block = new BlockEnv(Harness.COINBASE, 1_000, 0, 30_000_000L, BigInteger.ONE,
        Word.ZERO, BigInteger.ONE, BigInteger.ONE, n -> Word.of(n + 1));
    List<Asm> reads = List.of(new Asm().push(743).op(BLOCKHASH),
        new Asm().push(744).op(BLOCKHASH), new Asm().push(999).op(BLOCKHASH),
        new Asm().push(1_000).op(BLOCKHASH), new Asm().push(MAX_WORD).op(BLOCKHASH));
    assertArrayEquals(concatWords(Word.ZERO, Word.of(745), Word.of(1_000), Word.ZERO,
        Word.ZERO), words(block, new byte[0], reads));
  }
}
