package io.chorus.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Decoding, sender recovery and rejections, on the EIP-155 example and hand-made bad inputs. */
class TransactionDecoderTest {
  private static final String EIP155_SIGNED = "f86c098504a817c800825208943535353535353535353535"
      + "353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff"
      + "63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
  private final CryptoSuite suite = CryptoSuite.ethereum();
  private final TransactionValidator validator = new TransactionValidator(suite, BigInteger.ONE);

  @Test
  void decodesTheEip155Example() {
    Transaction tx = TransactionDecoder.decode(Hex.decode(EIP155_SIGNED));
    assertEquals(Transaction.LEGACY, tx.type());
    assertEquals(BigInteger.ONE, tx.chainId());
    assertEquals(9, tx.nonce());
    assertEquals(BigInteger.valueOf(20_000_000_000L), tx.maxFeePerGas());
    assertEquals(21_000, tx.gasLimit());
    assertEquals(BigInteger.TEN.pow(18), tx.value());
    assertEquals("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
        Hex.encode(suite.hash(tx.signingPayload())));
    assertEquals("9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", Hex.encode(validator.validate(tx)));
    assertEquals(21_000, IntrinsicGas.of(tx));
    assertArrayEquals(Hex.decode(EIP155_SIGNED), tx.encoded());
  }

  @Test
  void wrongChainIdIsRejected() {
    Transaction tx = TransactionDecoder.decode(Hex.decode(EIP155_SIGNED));
    TransactionException e = assertThrows(TransactionException.class,
        () -> new TransactionValidator(suite, BigInteger.TWO).validate(tx));
    assertTrue(e.getMessage().contains("chain id 1 does not match this chain's 2"));
  }

  @Test
  void malformedInputNamesTheProblem() {
    assertMessage("", "empty transaction bytes");
    assertMessage("05c0", "unsupported transaction type 5");
    assertMessage("8180", "RLP byte string, not a list");
    assertMessage(EIP155_SIGNED + "00", "legacy transaction has unexpected extra data");
    assertMessage("02" + "c0", "expected an item, found the end");
    byte[] shortTo = Rlp.encodeList(Rlp.encodeUnsignedLong(0), Rlp.encodeUnsignedLong(1),
        Rlp.encodeUnsignedLong(21000), Rlp.encodeBytes(new byte[19]), Rlp.EMPTY_STRING,
        Rlp.EMPTY_STRING, Rlp.encodeUnsignedLong(27), Rlp.encodeUnsignedLong(1),
        Rlp.encodeUnsignedLong(1));
    assertMessage(Hex.encode(shortTo), "to at offset 6 must be 20 bytes or empty, found 19");
  }

  @Test
  void creationHasNoRecipientAndPaysForInitcode() {
    byte[] create = Rlp.encodeList(Rlp.encodeUnsignedLong(0), Rlp.encodeUnsignedLong(1),
        Rlp.encodeUnsignedLong(100_000), Rlp.EMPTY_STRING, Rlp.EMPTY_STRING,
        Rlp.encodeBytes(new byte[] {0, 1, 0, 2}), Rlp.encodeUnsignedLong(27),
        Rlp.encodeUnsignedLong(1), Rlp.encodeUnsignedLong(1));
    Transaction tx = TransactionDecoder.decode(create);
    assertNull(tx.to());
    assertNull(tx.chainId());
    assertEquals(21_000 + 32_000 + 4 + 16 + 4 + 16 + 2, IntrinsicGas.of(tx));
  }

  private static void assertMessage(String hex, String expected) {
    TransactionException e = assertThrows(TransactionException.class,
        () -> TransactionDecoder.decode(Hex.decode(hex)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
