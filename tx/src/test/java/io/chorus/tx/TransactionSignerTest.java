package io.chorus.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Signing reproduces the EIP-155 example, and sign→validate recovers the signer for all types. */
class TransactionSignerTest {
  private final CryptoSuite suite = CryptoSuite.ethereum();
  private final TransactionValidator validator = new TransactionValidator(suite, BigInteger.ONE);

  @Test
  void reproducesTheEip155SignedBytes() {
    KeyPair keys = suite.keyPair(Hex.decode("46".repeat(32)));
    Transaction template = template(Transaction.LEGACY, 9, Hex.decode("35".repeat(20)),
        new byte[0]);
    Transaction signed = TransactionSigner.sign(template, keys, suite);
    assertEquals("f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76"
        + "400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8"
        + "997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", Hex.encode(signed.encoded()));
  }

  @Property(tries = 200)
  void signedTransactionsRecoverTheirSigner(@ForAll @IntRange(min = 0, max = 3) int type,
      @ForAll @Size(32) byte[] privateKey, @ForAll @Size(max = 64) byte[] data) {
    privateKey[0] = (byte) ((privateKey[0] & 0x7f) | 0x01); // inside [1, n-1]
    KeyPair keys = suite.keyPair(privateKey);
    Transaction signed = TransactionSigner.sign(
        template(type, 7, Hex.decode("35".repeat(20)), data), keys, suite);
    assertEquals(type, signed.type());
    assertArrayEquals(suite.address(keys.publicKey()), validator.validate(signed));
    assertArrayEquals(signed.encoded(), TransactionDecoder.decode(signed.encoded()).encoded());
  }

  @Test
  void theGasLimitIsUnsigned() {
    Transaction tx = template(Transaction.LEGACY, 0, null, new byte[0]);
    for (long gas : new long[] {0, 21_000, Long.MAX_VALUE, Long.MIN_VALUE, -1}) {
      Transaction withGas = new Transaction(tx.type(), tx.chainId(), tx.nonce(),
          tx.maxPriorityFeePerGas(), tx.maxFeePerGas(), gas, tx.to(), tx.value(), tx.data(),
          tx.accessList(), tx.maxFeePerBlobGas(), tx.blobVersionedHashes(), tx.yParity(),
          tx.r(), tx.s(), tx.encoded(), tx.signingPayload(), tx.publicKey());
      assertEquals(new BigInteger(Long.toUnsignedString(gas)), withGas.gasLimitAsBigInteger());
    }
  }

  private static Transaction template(int type, long nonce, byte[] to, byte[] data) {
    List<AccessListEntry> accessList = type == Transaction.LEGACY ? List.of()
        : List.of(new AccessListEntry(Hex.decode("11".repeat(20)), List.of(new byte[32])));
    List<byte[]> blobs = type == Transaction.BLOB
        ? List.of(Hex.decode("01" + "00".repeat(31))) : List.of();
    BigInteger gasPrice = BigInteger.valueOf(20_000_000_000L);
    return new Transaction(type, BigInteger.ONE, nonce, gasPrice, gasPrice,
        data.length == 0 && type == Transaction.LEGACY ? 21_000 : 100_000, to, BigInteger.TEN.pow(18), data,
        accessList, BigInteger.ONE, blobs, 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]);
  }
}
