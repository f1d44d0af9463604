package io.chorus.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * SM2 transactions on an {@code sm} chain: the signer's public key follows s, the sender is the
 * SM3 address of that key and the SM2 signature must verify against it. Round trips for every
 * type, then every way such a transaction can be wrong, each with its message.
 */
class SmTransactionTest {
  private static final CryptoSuite SM = CryptoSuite.sm();
  private static final CryptoSuite ETHEREUM = CryptoSuite.ethereum();
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  private static final KeyPair KEYS = SM.keyPair(Hex.decode("11".repeat(32)));
  private static final KeyPair OTHER = SM.keyPair(Hex.decode("22".repeat(32)));
  // Items of a signed type-2 list: ..., 9 yParity, 10 r, 11 s, 12 public key.
  private static final int Y_PARITY = 9;
  private static final int R = 10;
  private static final int PUBLIC_KEY = 12;

  private final TransactionValidator validator = new TransactionValidator(SM, CHAIN_ID);

  @Property(tries = 100)
  void signedTransactionsOfEveryTypeVerifyAndNameTheirSigner(
      @ForAll @IntRange(min = 0, max = 3) int type, @ForAll @Size(32) byte[] privateKey,
      @ForAll @Size(max = 64) byte[] data) {
    privateKey[0] = (byte) ((privateKey[0] & 0x7f) | 0x01); // inside [1, n-2] of SM2
    KeyPair keys = SM.keyPair(privateKey);
    Transaction signed = TransactionSigner.sign(template(type, data), keys, SM);
    Transaction decoded = TransactionDecoder.decode(signed.encoded());
    assertEquals(type, decoded.type());
    assertArrayEquals(keys.publicKey(), decoded.publicKey());
    assertArrayEquals(signed.encoded(), decoded.encoded());
    assertEquals(0, decoded.yParity());
    assertArrayEquals(SM.address(keys.publicKey()), validator.validate(decoded));
  }

  @Test
  void theKeyIsTheLastListItemAndTheSignatureCoversTheUnsignedFields() {
    Transaction signed = sign(template(Transaction.DYNAMIC_FEE, new byte[0]));
    List<byte[]> items = items(signed);
    assertEquals(13, items.size());
    assertArrayEquals(Rlp.encodeBytes(KEYS.publicKey()), items.get(PUBLIC_KEY));
    // The payload is the Ethereum one: the type byte, then the list without yParity, r, s, key.
    byte[] payload = Bytes.concat(new byte[] {2}, Rlp.encodeList(items.subList(0, Y_PARITY)));
    assertArrayEquals(payload, signed.signingPayload());
    assertTrue(SM.verify(SM.hash(payload), new io.chorus.crypto.Signature(signed.r(),
        signed.s(), 0), KEYS.publicKey()));
  }

  @Test
  void legacyTransactionsKeepEip155AndAddTheKey() {
    Transaction signed = sign(template(Transaction.LEGACY, new byte[0]));
    List<byte[]> items = items(signed);
    assertEquals(10, items.size());
    assertEquals(CHAIN_ID.shiftLeft(1).add(BigInteger.valueOf(35)),
        RlpReader.of(items.get(6)).readBigInteger("v", 32));
    assertArrayEquals(SM.address(KEYS.publicKey()), validator.validate(signed));
  }

  @Test
  void anEthereumTransactionOnAnSmChainIsMissingItsKey() {
    Transaction ethereum = TransactionSigner.sign(template(Transaction.DYNAMIC_FEE, new byte[0]),
        ETHEREUM.keyPair(Hex.decode("11".repeat(32))), ETHEREUM);
    assertNull(ethereum.publicKey());
    assertRejected(ethereum, "transactions carry the signer's 64-byte public key after s");
  }

  @Test
  void anSmTransactionOnAnEthereumChainCarriesAKeyItMustNot() {
    Transaction signed = sign(template(Transaction.DYNAMIC_FEE, new byte[0]));
    TransactionException e = assertThrows(TransactionException.class,
        () -> new TransactionValidator(ETHEREUM, CHAIN_ID).validate(signed));
    assertTrue(e.getMessage().contains("carry no public key after s"), e.getMessage());
  }

  @Test
  void aKeyOfTheWrongLengthIsADecodingError() {
    byte[] encoded = edit(sign(template(Transaction.DYNAMIC_FEE, new byte[0])), items -> {
      items.set(PUBLIC_KEY, Rlp.encodeBytes(new byte[63]));
      return items;
    });
    TransactionException e = assertThrows(TransactionException.class,
        () -> TransactionDecoder.decode(encoded));
    assertTrue(e.getMessage().contains("public key after s (offset ")
        && e.getMessage().contains("must be 64 bytes (x || y), found 63"), e.getMessage());
  }

  @Test
  void aFieldAfterTheKeyIsADecodingError() {
    byte[] encoded = edit(sign(template(Transaction.DYNAMIC_FEE, new byte[0])), items -> {
      items.add(Rlp.encodeUnsignedLong(1));
      return items;
    });
    TransactionException e = assertThrows(TransactionException.class,
        () -> TransactionDecoder.decode(encoded));
    assertTrue(e.getMessage().contains("the signer's public key is its last field"),
        e.getMessage());
  }

  @Test
  void aKeyOffTheCurveIsInvalid() {
    byte[] notAPoint = new byte[64];
    notAPoint[63] = 1;
    assertRejected(withItem(PUBLIC_KEY, Rlp.encodeBytes(notAPoint)),
        "the signer's public key is invalid: public key is not a point on sm2p256v1");
  }

  @Test
  void anotherSignersKeyDoesNotVerify() {
    assertRejected(withItem(PUBLIC_KEY, Rlp.encodeBytes(OTHER.publicKey())),
        "bad signature: it does not verify against the signer's public key");
  }

  @Test
  void aChangedFieldBreaksTheSignature() {
    int value = 6;
    assertRejected(withItem(value, Rlp.encodeUnsignedLong(2)),
        "bad signature: it does not verify against the signer's public key");
  }

  @Test
  void aRecoveryIdOtherThanZeroIsRefused() {
    assertRejected(withItem(Y_PARITY, Rlp.encodeUnsignedLong(1)),
        "signatures have no recovery id: yParity");
  }

  @Test
  void anOutOfRangeSignatureIsRefused() {
    assertRejected(withItem(R, Rlp.encodeUnsignedLong(0)),
        "bad signature: signature r must be in [1, n-1] for sm2p256v1");
  }

  @Test
  void theChainIdStillMatters() {
    Transaction signed = sign(template(Transaction.DYNAMIC_FEE, new byte[0]));
    TransactionException e = assertThrows(TransactionException.class,
        () -> new TransactionValidator(SM, BigInteger.ONE).validate(signed));
    assertTrue(e.getMessage().contains("chain id 1337 does not match this chain's 1"),
        e.getMessage());
  }

  private void assertRejected(Transaction tx, String expected) {
    TransactionException e = assertThrows(TransactionException.class,
        () -> validator.validate(tx));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static Transaction sign(Transaction template) {
    return TransactionSigner.sign(template, KEYS, SM);
  }

  /** A signed type-2 transaction with one list item replaced, decoded. */
  private static Transaction withItem(int index, byte[] item) {
    return TransactionDecoder.decode(edit(sign(template(Transaction.DYNAMIC_FEE, new byte[0])),
        items -> {
          items.set(index, item);
          return items;
        }));
  }

  private static byte[] edit(Transaction typed, UnaryOperator<List<byte[]>> change) {
    return Bytes.concat(new byte[] {(byte) typed.type()},
        Rlp.encodeList(change.apply(items(typed))));
  }

  private static List<byte[]> items(Transaction tx) {
    byte[] encoded = tx.encoded();
    RlpReader list = tx.type() == Transaction.LEGACY ? RlpReader.of(encoded).readList()
        : RlpReader.of(encoded, 1, encoded.length).readList();
    List<byte[]> items = new ArrayList<>();
    while (list.hasNext()) {
      items.add(list.readRaw());
    }
    return items;
  }

  private static Transaction template(int type, byte[] data) {
    List<AccessListEntry> accessList = type == Transaction.LEGACY ? List.of()
        : List.of(new AccessListEntry(Hex.decode("11".repeat(20)), List.of(new byte[32])));
    List<byte[]> blobs = type == Transaction.BLOB
        ? List.of(Hex.decode("01" + "00".repeat(31))) : List.of();
    BigInteger gasPrice = BigInteger.valueOf(20_000_000_000L);
    return new Transaction(type, CHAIN_ID, 3, gasPrice, gasPrice, 100_000,
        Hex.decode("35".repeat(20)), BigInteger.ONE, data, accessList, BigInteger.ONE, blobs, 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]);
  }
}
