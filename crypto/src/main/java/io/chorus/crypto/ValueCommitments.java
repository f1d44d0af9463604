package io.chorus.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * Pedersen commitments to amounts on a suite's curve (sm2p256v1 for {@code sm}, secp256k1 for
 * {@code ethereum}), and proofs that a committed amount lies in a range: what lets a chain
 * check that value is conserved and never negative without seeing it.
 *
 * <p>{@code C = v·H + r·G}: v the amount, r a random blinding scalar, G the curve's generator,
 * H a second generator hashed onto the curve ({@link #h()}), so that no one knows log_G H and
 * no one can open a commitment to two amounts. Commitments add: {@code C(a, r) + C(b, s) = C(a
 * + b, r + s)}, so the pieces a value is split into are checked to sum to it by adding points.
 *
 * <p>A range proof shows that {@code C − min·H} commits to an amount in [0, 2^64), and that its
 * prover knows the opening, revealing nothing else. Each of the amount's 64 bits is committed
 * ({@code C_i = b_i·2^i·H + r_i·G}, the r_i summing to r) and each C_i is proven to commit to
 * 0 or 2^i by a one-out-of-two Schnorr proof (Cramer, Damgård and Schoenmakers, 1994); one
 * Fiat–Shamir challenge over the whole statement and the caller's context makes the 64 proofs
 * non-interactive. Verifying costs 128 two-point multiplications.
 *
 * <p>Encodings: points SEC1-compressed, 33 bytes; scalars 32 bytes big-endian, below the group
 * order n. A proof is {@code e || 64 × (C_i || e0_i || s0_i || s1_i)}: {@value #PROOF_BYTES}
 * bytes.
 */
public final class ValueCommitments {
  /** How many bits a range proof covers. */
  public static final int BITS = 64;
  /** A commitment's size: a compressed point. */
  public static final int POINT_BYTES = 33;
  private static final int SCALAR_BYTES = 32;
  private static final int BIT_PROOF_BYTES = POINT_BYTES + 3 * SCALAR_BYTES;
  /** A range proof's size. */
  public static final int PROOF_BYTES = SCALAR_BYTES + BITS * BIT_PROOF_BYTES;
  /** The largest amount above its lower bound that a range proof covers: 2^64 − 1. */
  public static final BigInteger RANGE_MAX = BigInteger.ONE.shiftLeft(BITS)
      .subtract(BigInteger.ONE);
  private static final byte[] H_TAG = "chorus/value-commitment/H/".getBytes(US_ASCII);
  private static final byte[] CHALLENGE_TAG = "chorus/range-proof/1".getBytes(US_ASCII);

  static final ValueCommitments SM2 = new ValueCommitments("sm2p256v1", SmSuite.SM2.domain(),
      Sm3.INSTANCE);
  static final ValueCommitments SECP256K1 = new ValueCommitments("secp256k1", Secp256k1.DOMAIN,
      Keccak256.INSTANCE);

  /**
   * What opens a commitment: the amount and the blinding, as a party receives them (sealed in an
   * {@link Envelope}); encoded as 64 bytes, each 32 big-endian.
   */
  public record Opening(BigInteger value, BigInteger blinding) {
    public static final int BYTES = 2 * SCALAR_BYTES;

    public byte[] encode() {
      byte[] out = new byte[BYTES];
      BigIntegers.asUnsignedByteArray(value, out, 0, SCALAR_BYTES);
      BigIntegers.asUnsignedByteArray(blinding, out, SCALAR_BYTES, SCALAR_BYTES);
      return out;
    }

    /** The opening {@link #encode} wrote; an {@link IllegalArgumentException} if not 64 bytes. */
    public static Opening decode(byte[] encoded) {
      if (encoded.length != BYTES) {
        throw new IllegalArgumentException("an opening is " + BYTES + " bytes (amount ||"
            + " blinding), got " + encoded.length);
      }
      return new Opening(BigIntegers.fromUnsignedByteArray(encoded, 0, SCALAR_BYTES),
          BigIntegers.fromUnsignedByteArray(encoded, SCALAR_BYTES, SCALAR_BYTES));
    }
  }

  private final String curveName;
  private final HashFunction hash;
  private final ECCurve curve;
  private final BigInteger n;
  private final ECPoint g;
  private final ECPoint h;
  // 2^i·H for each bit i: what C_i commits to when bit i is set.
  private final ECPoint[] bitValues = new ECPoint[BITS];

  private ValueCommitments(String curveName, EcDomain domain, HashFunction hash) {
    this.curveName = curveName;
    this.hash = hash;
    this.curve = domain.parameters().getCurve();
    this.n = domain.n();
    this.g = domain.parameters().getG();
    this.h = hashToCurve();
    ECPoint power = h;
    for (int i = 0; i < BITS; i++) {
      bitValues[i] = power.normalize();
      power = power.twice();
    }
  }

  /** The curve's name, for messages. */
  public String curve() {
    return curveName;
  }

  /** The second generator H, compressed: documented so that anyone can recompute it. */
  public byte[] h() {
    return h.getEncoded(true);
  }

  /** The group order n: amounts and blindings are below it. */
  public BigInteger order() {
    return n;
  }

  /** A blinding scalar drawn uniformly from [1, n − 1]. */
  public BigInteger randomBlinding(SecureRandom random) {
    return BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random);
  }

  /** {@code value·H + blinding·G}, compressed. */
  public byte[] commit(BigInteger value, BigInteger blinding) {
    requireScalar("value", value);
    requireScalar("blinding", blinding);
    return encode(point(value, blinding), "the commitment");
  }

  /** Whether {@code commitment} is {@code value·H + blinding·G}. */
  public boolean opens(byte[] commitment, Opening opening) {
    return opening.value().signum() >= 0 && opening.value().compareTo(n) < 0
        && opening.blinding().signum() >= 0 && opening.blinding().compareTo(n) < 0
        && Arrays.equals(commitment, point(opening.value(), opening.blinding())
            .getEncoded(true));
  }

  /** {@code a + b}: a commitment to the sum of their amounts, with the sum of blindings. */
  public byte[] add(byte[] a, byte[] b) throws CommitmentException {
    return encode(decode(a, "the first commitment").add(decode(b, "the second commitment")),
        "the sum");
  }

  /** {@code a − b}: a commitment to the difference of their amounts and of their blindings. */
  public byte[] subtract(byte[] a, byte[] b) throws CommitmentException {
    return encode(decode(a, "the first commitment").subtract(decode(b,
        "the second commitment")), "the difference");
  }

  /**
   * A proof that {@code commit(value, blinding)} holds an amount in [min, min + 2^64 − 1],
   * bound to {@code context} (what the proof is for: it verifies only with the same context).
   */
  public byte[] proveRange(BigInteger value, BigInteger blinding, BigInteger min,
      byte[] context, SecureRandom random) {
    requireScalar("value", value);
    requireScalar("blinding", blinding);
    requireScalar("lower bound", min);
    BigInteger amount = value.subtract(min);
    if (amount.signum() < 0 || amount.compareTo(RANGE_MAX) > 0) {
      throw new IllegalArgumentException("value " + value + " is outside [" + min + ", " + min
          + " + 2^64 − 1]: no range proof exists");
    }
    ECPoint[] bits = new ECPoint[BITS];
    ECPoint[] announcements = new ECPoint[2 * BITS];
    BigInteger[] bitBlindings = new BigInteger[BITS];
    BigInteger[] nonces = new BigInteger[BITS];
    BigInteger[] simulatedChallenges = new BigInteger[BITS];
    BigInteger[] simulatedResponses = new BigInteger[BITS];
    BigInteger rest = blinding;
    for (int i = 0; i < BITS; i++) {
      bitBlindings[i] = i < BITS - 1 ? randomBlinding(random) : rest;
      rest = rest.subtract(bitBlindings[i]).mod(n);
      boolean set = amount.testBit(i);
      ECPoint masked = g.multiply(bitBlindings[i]);
      bits[i] = set ? masked.add(bitValues[i]) : masked;
      nonces[i] = randomBlinding(random);
      simulatedChallenges[i] = randomBlinding(random);
      simulatedResponses[i] = randomBlinding(random);
      // The branch that holds is announced honestly (k·G); the other is simulated from a
      // challenge and a response chosen first.
      ECPoint honest = g.multiply(nonces[i]);
      ECPoint other = ECAlgorithms.sumOfTwoMultiplies(g, simulatedResponses[i],
          set ? bits[i] : bits[i].subtract(bitValues[i]), simulatedChallenges[i].negate().mod(n));
      announcements[2 * i] = set ? other : honest;
      announcements[2 * i + 1] = set ? honest : other;
    }
    curve.normalizeAll(bits);
    ECPoint shifted = point(value, blinding).subtract(h.multiply(min));
    BigInteger e = challenge(context, min, shifted, bits, announcements);
    byte[] proof = new byte[PROOF_BYTES];
    BigIntegers.asUnsignedByteArray(e, proof, 0, SCALAR_BYTES);
    for (int i = 0; i < BITS; i++) {
      boolean set = amount.testBit(i);
      BigInteger realChallenge = e.subtract(simulatedChallenges[i]).mod(n);
      BigInteger realResponse = nonces[i].add(realChallenge.multiply(bitBlindings[i])).mod(n);
      int at = SCALAR_BYTES + i * BIT_PROOF_BYTES;
      System.arraycopy(bits[i].getEncoded(true), 0, proof, at, POINT_BYTES);
      BigInteger e0 = set ? simulatedChallenges[i] : realChallenge;
      BigInteger s0 = set ? simulatedResponses[i] : realResponse;
      BigInteger s1 = set ? realResponse : simulatedResponses[i];
      BigIntegers.asUnsignedByteArray(e0, proof, at + POINT_BYTES, SCALAR_BYTES);
      BigIntegers.asUnsignedByteArray(s0, proof, at + POINT_BYTES + SCALAR_BYTES, SCALAR_BYTES);
      BigIntegers.asUnsignedByteArray(s1, proof, at + POINT_BYTES + 2 * SCALAR_BYTES,
          SCALAR_BYTES);
    }
    return proof;
  }

  /**
   * Checks that {@code proof} shows {@code commitment} to hold an amount in [min, min + 2^64 −
   * 1], made for {@code context}.
   *
   * @throws CommitmentException saying what is malformed, or that the proof does not verify
   */
  public void verifyRange(byte[] commitment, BigInteger min, byte[] proof, byte[] context)
      throws CommitmentException {
    ECPoint committed = decode(commitment, "the commitment");
    if (min.signum() < 0 || min.compareTo(n) >= 0) {
      throw new CommitmentException("the lower bound " + min + " is outside [0, n)");
    }
    if (proof.length != PROOF_BYTES) {
      throw new CommitmentException("a range proof is " + PROOF_BYTES + " bytes, got "
          + proof.length);
    }
    BigInteger e = scalar(proof, 0, "the challenge");
    ECPoint[] bits = new ECPoint[BITS];
    ECPoint[] announcements = new ECPoint[2 * BITS];
    ECPoint sum = curve.getInfinity();
    for (int i = 0; i < BITS; i++) {
      int at = SCALAR_BYTES + i * BIT_PROOF_BYTES;
      bits[i] = decode(Arrays.copyOfRange(proof, at, at + POINT_BYTES), "bit commitment " + i);
      BigInteger e0 = scalar(proof, at + POINT_BYTES, "e0 of bit " + i);
      BigInteger s0 = scalar(proof, at + POINT_BYTES + SCALAR_BYTES, "s0 of bit " + i);
      BigInteger s1 = scalar(proof, at + POINT_BYTES + 2 * SCALAR_BYTES, "s1 of bit " + i);
      BigInteger e1 = e.subtract(e0).mod(n);
      announcements[2 * i] = ECAlgorithms.sumOfTwoMultiplies(g, s0, bits[i],
          e0.negate().mod(n));
      announcements[2 * i + 1] = ECAlgorithms.sumOfTwoMultiplies(g, s1,
          bits[i].subtract(bitValues[i]), e1.negate().mod(n));
      sum = sum.add(bits[i]);
    }
    ECPoint shifted = committed.subtract(h.multiply(min));
    if (!sum.equals(shifted)) {
      throw new CommitmentException("the bit commitments do not add up to the commitment less"
          + " the lower bound");
    }
    if (!challenge(context, min, shifted, bits, announcements).equals(e)) {
      throw new CommitmentException("the range proof does not verify: the amount is not in ["
          + min + ", " + min + " + 2^64 − 1] or the proof was made for another commitment or"
          + " context");
    }
  }

  private BigInteger challenge(byte[] context, BigInteger min, ECPoint shifted, ECPoint[] bits,
      ECPoint[] announcements) {
    curve.normalizeAll(announcements);
    ByteArrayOutputStream transcript = new ByteArrayOutputStream(
        CHALLENGE_TAG.length + context.length + 3 * BITS * POINT_BYTES + 128);
    transcript.writeBytes(CHALLENGE_TAG);
    transcript.writeBytes(curveName.getBytes(US_ASCII));
    transcript.writeBytes(ByteBuffer.allocate(4).putInt(context.length).array());
    transcript.writeBytes(context);
    transcript.writeBytes(BigIntegers.asUnsignedByteArray(SCALAR_BYTES, min));
    transcript.writeBytes(shifted.getEncoded(true));
    for (ECPoint bit : bits) {
      transcript.writeBytes(bit.getEncoded(true));
    }
    for (ECPoint announcement : announcements) {
      transcript.writeBytes(announcement.getEncoded(true));
    }
    return new BigInteger(1, hash.hash(transcript.toByteArray())).mod(n);
  }

  private ECPoint point(BigInteger value, BigInteger blinding) {
    return ECAlgorithms.sumOfTwoMultiplies(h, value, g, blinding);
  }

  private ECPoint decode(byte[] encoded, String what) throws CommitmentException {
    if (encoded.length != POINT_BYTES || (encoded[0] != 2 && encoded[0] != 3)) {
      throw new CommitmentException(what + " is not a compressed " + curveName + " point (33"
          + " bytes starting 02 or 03), got " + encoded.length + " bytes");
    }
    try {
      return curve.decodePoint(encoded);
    } catch (IllegalArgumentException e) {
      throw new CommitmentException(what + " is not a point on " + curveName);
    }
  }

  private BigInteger scalar(byte[] proof, int at, String what) throws CommitmentException {
    BigInteger value = BigIntegers.fromUnsignedByteArray(proof, at, SCALAR_BYTES);
    if (value.compareTo(n) >= 0) {
      throw new CommitmentException(what + " is not below the group order");
    }
    return value;
  }

  private static byte[] encode(ECPoint point, String what) {
    if (point.isInfinity()) {
      // Only an opening chosen to cancel out gives it: a fresh random blinding never does.
      throw new IllegalArgumentException(what + " is the point at infinity: choose another"
          + " blinding");
    }
    return point.getEncoded(true);
  }

  private void requireScalar(String what, BigInteger value) {
    if (value.signum() < 0 || value.compareTo(n) >= 0) {
      throw new IllegalArgumentException(what + " must be in [0, n) of " + curveName);
    }
  }

  // H: the first x = hash(H_TAG || curve || counter) that is a point's x-coordinate, with even
  // y. Nothing-up-my-sleeve: its discrete logarithm to G is unknown.
  private ECPoint hashToCurve() {
    BigInteger p = curve.getField().getCharacteristic();
    for (int counter = 0; ; counter++) {
      ByteArrayOutputStream seed = new ByteArrayOutputStream();
      seed.writeBytes(H_TAG);
      seed.writeBytes(curveName.getBytes(US_ASCII));
      seed.write(counter);
      byte[] x = hash.hash(seed.toByteArray());
      if (new BigInteger(1, x).compareTo(p) >= 0) {
        continue;
      }
      byte[] compressed = new byte[POINT_BYTES];
      compressed[0] = 2;
      System.arraycopy(x, 0, compressed, 1, SCALAR_BYTES);
      try {
        return curve.decodePoint(compressed).normalize();
      } catch (IllegalArgumentException e) {
        // Not an x-coordinate of the curve (about half of all x are not): try the next.
      }
    }
  }
}
