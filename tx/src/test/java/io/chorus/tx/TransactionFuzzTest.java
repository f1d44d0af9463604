package io.chorus.tx;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes decoding and validation (in both suites): any input either yields a transaction whose
 * fields, written out again, are the input itself (and whose signing payload is the one those
 * fields give), or fails with {@link TransactionException} — never another exception. A
 * transaction that validates stops validating as the same sender when a bit of r or of s is
 * flipped. Seeds: signed transactions of every type in both suites, in
 * {@code TransactionFuzzTestInputs/fuzz}.
 */
public class TransactionFuzzTest {
  private static final List<TransactionValidator> VALIDATORS = List.of(
      new TransactionValidator(CryptoSuite.ethereum(), BigInteger.ONE),
      new TransactionValidator(CryptoSuite.sm(), BigInteger.ONE));

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsTotal(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    decodeIsTotal(input);
  }

  /** Every seed is a transaction one of the suites accepts, so the signature checks run. */
  @Test
  void everySeedValidatesInOneSuite() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(
        Path.of("src/test/resources/io/chorus/tx/TransactionFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      Transaction tx = TransactionDecoder.decode(Files.readAllBytes(seed));
      long accepting = VALIDATORS.stream().filter(v -> sender(v, tx) != null).count();
      if (accepting != 1) {
        throw new AssertionError(seed + " validates in " + accepting + " suites, expected 1");
      }
      fuzzerTestOneInput(tx.encoded());
    }
  }

  private static void decodeIsTotal(byte[] input) {
    Transaction tx;
    try {
      tx = TransactionDecoder.decode(input);
    } catch (TransactionException rejected) {
      return;
    }
    if (!Arrays.equals(encode(tx, tx.r(), tx.s()), input)) {
      throw new AssertionError("the decoded fields of " + Hex.encode(input)
          + " encode as " + Hex.encode(encode(tx, tx.r(), tx.s())));
    }
    if (!Arrays.equals(signingPayload(tx), tx.signingPayload())) {
      throw new AssertionError("the signing payload of " + Hex.encode(input)
          + " is not the one its fields give");
    }
    for (TransactionValidator validator : VALIDATORS) {
      byte[] sender = sender(validator, tx);
      if (sender != null) {
        flippedSignatureIsNotTheSender(validator, tx, sender, r -> r.flipBit(0), s -> s);
        flippedSignatureIsNotTheSender(validator, tx, sender, r -> r, s -> s.flipBit(0));
      }
    }
  }

  /** The sender, or null when the validator rejects the transaction as invalid. */
  private static byte[] sender(TransactionValidator validator, Transaction tx) {
    try {
      return validator.validate(tx);
    } catch (TransactionException rejected) {
      return null; // invalid transactions are expected; anything else escapes and fails the run
    }
  }

  private static void flippedSignatureIsNotTheSender(TransactionValidator validator,
      Transaction tx, byte[] sender, UnaryOperator<BigInteger> r, UnaryOperator<BigInteger> s) {
    byte[] damaged = encode(tx, r.apply(tx.r()), s.apply(tx.s()));
    byte[] claimed;
    try {
      claimed = validator.validate(TransactionDecoder.decode(damaged));
    } catch (TransactionException rejected) {
      return;
    }
    if (Arrays.equals(claimed, sender)) {
      throw new AssertionError("a flipped signature bit still signs for " + Hex.encode(sender)
          + ": " + Hex.encode(damaged));
    }
  }

  // The encoding written from the decoded fields alone (not from tx.encoded()), with r and s.
  private static byte[] encode(Transaction tx, BigInteger r, BigInteger s) {
    List<byte[]> fields = unsignedFields(tx);
    BigInteger v = BigInteger.valueOf(tx.yParity());
    if (tx.type() == Transaction.LEGACY) {
      v = tx.chainId() == null ? v.add(BigInteger.valueOf(27))
          : tx.chainId().shiftLeft(1).add(BigInteger.valueOf(35)).add(v);
    }
    fields.add(Rlp.encodeBigInteger(v));
    fields.add(Rlp.encodeBigInteger(r));
    fields.add(Rlp.encodeBigInteger(s));
    if (tx.publicKey() != null) {
      fields.add(Rlp.encodeBytes(tx.publicKey()));
    }
    return typed(tx, Rlp.encodeList(fields));
  }

  private static byte[] signingPayload(Transaction tx) {
    List<byte[]> fields = unsignedFields(tx);
    if (tx.type() == Transaction.LEGACY && tx.chainId() != null) {
      fields.add(Rlp.encodeBigInteger(tx.chainId()));
      fields.add(Rlp.EMPTY_STRING);
      fields.add(Rlp.EMPTY_STRING);
    }
    return typed(tx, Rlp.encodeList(fields));
  }

  private static byte[] typed(Transaction tx, byte[] list) {
    return tx.type() == Transaction.LEGACY ? list
        : Bytes.concat(new byte[] {(byte) tx.type()}, list);
  }

  private static List<byte[]> unsignedFields(Transaction tx) {
    List<byte[]> fields = new ArrayList<>();
    if (tx.type() != Transaction.LEGACY) {
      fields.add(Rlp.encodeBigInteger(tx.chainId()));
    }
    fields.add(Rlp.encodeUnsignedLong(tx.nonce()));
    if (tx.type() == Transaction.DYNAMIC_FEE || tx.type() == Transaction.BLOB) {
      fields.add(Rlp.encodeBigInteger(tx.maxPriorityFeePerGas()));
    }
    fields.add(Rlp.encodeBigInteger(tx.maxFeePerGas()));
    fields.add(Rlp.encodeUnsignedLong(tx.gasLimit()));
    fields.add(Rlp.encodeBytes(tx.isCreation() ? new byte[0] : tx.to()));
    fields.add(Rlp.encodeBigInteger(tx.value()));
    fields.add(Rlp.encodeBytes(tx.data()));
    if (tx.type() != Transaction.LEGACY) {
      List<byte[]> entries = new ArrayList<>();
      for (AccessListEntry entry : tx.accessList()) {
        entries.add(Rlp.encodeList(Rlp.encodeBytes(entry.address()),
            Rlp.encodeList(entry.storageKeys().stream().map(Rlp::encodeBytes).toList())));
      }
      fields.add(Rlp.encodeList(entries));
    }
    if (tx.type() == Transaction.BLOB) {
      fields.add(Rlp.encodeBigInteger(tx.maxFeePerBlobGas()));
      fields.add(Rlp.encodeList(tx.blobVersionedHashes().stream().map(Rlp::encodeBytes).toList()));
    }
    return fields;
  }
}
