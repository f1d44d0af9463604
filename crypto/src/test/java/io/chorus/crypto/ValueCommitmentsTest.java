package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.ValueCommitments.Opening;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pedersen commitments and range proofs on both suites' curves: commitments open and add as
 * the amounts do; an honest proof verifies at the range's ends and between; a proof verifies
 * for nothing but its own commitment, lower bound and context; every altered field of a proof
 * and every malformed encoding is refused with a reason.
 */
class ValueCommitmentsTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] CONTEXT = "split of piece 7 on chain 1".getBytes(
      StandardCharsets.US_ASCII);
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private static ValueCommitments of(String suite) {
    return CryptoSuite.byName(suite).commitments();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void commitmentsOpenAndAddAsTheirAmounts(String suite) throws CommitmentException {
    ValueCommitments c = of(suite);
    BigInteger r = c.randomBlinding(RANDOM);
    BigInteger s = c.randomBlinding(RANDOM);
    byte[] a = c.commit(BigInteger.valueOf(700), r);
    byte[] b = c.commit(BigInteger.valueOf(300), s);
    assertEquals(ValueCommitments.POINT_BYTES, a.length);
    assertTrue(c.opens(a, new Opening(BigInteger.valueOf(700), r)));
    assertFalse(c.opens(a, new Opening(BigInteger.valueOf(701), r)));
    assertFalse(c.opens(a, new Opening(BigInteger.valueOf(700), s)));
    assertArrayEquals(c.commit(BigInteger.valueOf(1000), r.add(s).mod(c.order())), c.add(a, b));
    assertArrayEquals(b, c.subtract(c.add(a, b), a));
    // The same amount under another blinding is another point: amounts do not show.
    assertNotEquals(Arrays.toString(a), Arrays.toString(c.commit(BigInteger.valueOf(700), s)));
    Opening opening = new Opening(BigInteger.valueOf(700), r);
    assertEquals(opening, Opening.decode(opening.encode()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void theSecondGeneratorIsAnotherPointOfTheCurve(String suite) {
    ValueCommitments c = of(suite);
    byte[] h = c.h();
    assertEquals(2, h[0], "H is taken with even y");
    assertFalse(Arrays.equals(h, c.commit(BigInteger.ZERO, BigInteger.ONE)), "H is not G");
    assertArrayEquals(h, c.commit(BigInteger.ONE, BigInteger.ZERO));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void honestProofsVerifyAcrossTheRange(String suite) throws CommitmentException {
    ValueCommitments c = of(suite);
    BigInteger min = BigInteger.ONE;
    for (BigInteger value : new BigInteger[] {min, BigInteger.valueOf(123_456_789_00L),
        new BigInteger(64, RANDOM).add(min), TWO_64}) {
      BigInteger r = c.randomBlinding(RANDOM);
      byte[] proof = c.proveRange(value, r, min, CONTEXT, RANDOM);
      assertEquals(ValueCommitments.PROOF_BYTES, proof.length);
      c.verifyRange(c.commit(value, r), min, proof, CONTEXT);
    }
    BigInteger r = c.randomBlinding(RANDOM);
    c.verifyRange(c.commit(BigInteger.ZERO, r), BigInteger.ZERO,
        c.proveRange(BigInteger.ZERO, r, BigInteger.ZERO, CONTEXT, RANDOM), CONTEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void noProofOfAnAmountOutsideTheRange(String suite) {
    ValueCommitments c = of(suite);
    BigInteger r = c.randomBlinding(RANDOM);
    assertThrows(IllegalArgumentException.class,
        () -> c.proveRange(BigInteger.ZERO, r, BigInteger.ONE, CONTEXT, RANDOM));
    assertThrows(IllegalArgumentException.class,
        () -> c.proveRange(TWO_64, r, BigInteger.ZERO, CONTEXT, RANDOM));
    // A negative amount is n − |a| in the group: far above the range.
    assertThrows(IllegalArgumentException.class,
        () -> c.proveRange(c.order().subtract(BigInteger.ONE), r, BigInteger.ZERO, CONTEXT,
            RANDOM));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void aProofVerifiesOnlyItsOwnStatement(String suite) throws CommitmentException {
    ValueCommitments c = of(suite);
    BigInteger value = BigInteger.valueOf(5_000);
    BigInteger r = c.randomBlinding(RANDOM);
    byte[] commitment = c.commit(value, r);
    byte[] proof = c.proveRange(value, r, BigInteger.ONE, CONTEXT, RANDOM);
    c.verifyRange(commitment, BigInteger.ONE, proof, CONTEXT);

    String other = refusal(c, c.commit(value.add(BigInteger.ONE), r), BigInteger.ONE, proof,
        CONTEXT);
    assertTrue(other.contains("does not verify"), other);
    assertTrue(refusal(c, commitment, BigInteger.TWO, proof, CONTEXT)
        .contains("does not verify"));
    String context = refusal(c, commitment, BigInteger.ONE, proof,
        "split of piece 8 on chain 1".getBytes(StandardCharsets.US_ASCII));
    assertTrue(context.contains("does not verify"), context);
    // Another commitment to the same amount: the proof was made for the first.
    assertTrue(refusal(c, c.commit(value, c.randomBlinding(RANDOM)), BigInteger.ONE, proof,
        CONTEXT).contains("does not verify"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void everyAlteredFieldIsRefused(String suite) {
    ValueCommitments c = of(suite);
    BigInteger value = BigInteger.valueOf(99_999);
    BigInteger r = c.randomBlinding(RANDOM);
    byte[] commitment = c.commit(value, r);
    byte[] proof = c.proveRange(value, r, BigInteger.ZERO, CONTEXT, RANDOM);
    // A point's x in each of A, S, T1, T2, each L_j and R_j; the last byte of τx, μ, t̂, a, b.
    int[] offsets = {};
    for (int point = 0; point < 4; point++) {
      offsets = concat(offsets, point * 33 + 20);
    }
    int scalars = 4 * 33;
    offsets = concat(offsets, scalars + 31, scalars + 63, scalars + 95);
    int rounds = scalars + 96;
    for (int point = 0; point < 12; point++) {
      offsets = concat(offsets, rounds + point * 33 + 20);
    }
    int last = rounds + 12 * 33;
    offsets = concat(offsets, last + 31, last + 63);
    assertEquals(ValueCommitments.PROOF_BYTES, last + 64);
    for (int offset : offsets) {
      byte[] altered = proof.clone();
      altered[offset] ^= 0x01;
      String reason = refusal(c, commitment, BigInteger.ZERO, altered, CONTEXT);
      assertFalse(reason.isEmpty(), "byte " + offset + " altered and accepted");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void malformedEncodingsAreRefusedWithTheirReason(String suite) {
    ValueCommitments c = of(suite);
    BigInteger r = c.randomBlinding(RANDOM);
    byte[] commitment = c.commit(BigInteger.TEN, r);
    byte[] proof = c.proveRange(BigInteger.TEN, r, BigInteger.ZERO, CONTEXT, RANDOM);
    assertTrue(refusal(c, commitment, BigInteger.ZERO, Arrays.copyOf(proof, proof.length - 1),
        CONTEXT).contains(ValueCommitments.PROOF_BYTES + " bytes"));
    byte[] uncompressed = new byte[65];
    uncompressed[0] = 4;
    assertTrue(refusal(c, uncompressed, BigInteger.ZERO, proof, CONTEXT)
        .contains("not a compressed"));
    byte[] huge = proof.clone();
    Arrays.fill(huge, 4 * 33, 4 * 33 + 32, (byte) 0xff);
    assertTrue(refusal(c, commitment, BigInteger.ZERO, huge, CONTEXT)
        .contains("tau_x is not below the group order"));
    byte[] offCurve = commitment.clone();
    for (int i = 1; i < 33; i++) {
      offCurve[i] = 0;
    }
    offCurve[32] = 5;
    String reason = refusal(c, offCurve, BigInteger.ZERO, proof, CONTEXT);
    assertTrue(reason.contains("not a point on") || reason.contains("does not verify"), reason);
    assertThrows(CommitmentException.class, () -> c.add(commitment, new byte[33]));
  }

  private static String refusal(ValueCommitments c, byte[] commitment, BigInteger min,
      byte[] proof, byte[] context) {
    try {
      c.verifyRange(commitment, min, proof, context);
      return "";
    } catch (CommitmentException e) {
      return e.getMessage();
    }
  }

  private static int[] concat(int[] a, int... b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
