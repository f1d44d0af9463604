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
 * prover knows the opening, revealing nothing else: a Bulletproof (Bünz, Bootle, Boneh,
 * Poelstra, Wuille and Maxwell, 2018). The amount's bits a_L and a_R = a_L − 1 are committed
 * with 64 + 64 further generators, a polynomial identity in challenges y, z, x shows they are
 * bits of the committed amount, and an inner-product argument of six halving rounds proves the
 * identity's vectors in logarithmic size. Every challenge comes from a Fiat–Shamir transcript
 * that starts with the statement and the caller's context. Verifying is one multi-scalar
 * multiplication of 144 points and one of 5. All generators are hashed onto the curve from
 * labels ({@link #hashToCurve}), so no one knows a relation between them.
 *
 * <p>Encodings: points SEC1-compressed, 33 bytes; scalars 32 bytes big-endian, below the group
 * order n. A proof is {@code A || S || T1 || T2 || τx || μ || t̂ || 6 × (L_j || R_j) || a || b}:
 * {@value #PROOF_BYTES} bytes.
 */
public final class ValueCommitments {
  /** How many bits a range proof covers. */
  public static final int BITS = 64;
  /** A commitment's size: a compressed point. */
  public static final int POINT_BYTES = 33;
  private static final int SCALAR_BYTES = 32;
  private static final int ROUNDS = Integer.numberOfTrailingZeros(BITS);
  /** A range proof's size. */
  public static final int PROOF_BYTES = (4 + 2 * ROUNDS) * POINT_BYTES + 5 * SCALAR_BYTES;
  /** The largest amount above its lower bound that a range proof covers: 2^64 − 1. */
  public static final BigInteger RANGE_MAX = BigInteger.ONE.shiftLeft(BITS)
      .subtract(BigInteger.ONE);
  private static final byte[] GENERATOR_TAG = "chorus/value-commitment/".getBytes(US_ASCII);
  private static final byte[] CHALLENGE_TAG = "chorus/range-proof/bulletproof/1".getBytes(
      US_ASCII);

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
  // The vector generators of the bits' commitments, and the inner product's.
  private final ECPoint[] gens = new ECPoint[BITS];
  private final ECPoint[] hens = new ECPoint[BITS];
  private final ECPoint u;

  private ValueCommitments(String curveName, EcDomain domain, HashFunction hash) {
    this.curveName = curveName;
    this.hash = hash;
    this.curve = domain.parameters().getCurve();
    this.n = domain.n();
    this.g = domain.parameters().getG();
    this.h = hashToCurve("H");
    for (int k = 0; k < BITS; k++) {
      gens[k] = hashToCurve("G" + k);
      hens[k] = hashToCurve("H" + k);
    }
    this.u = hashToCurve("U");
  }

  /** The curve's name, for messages. */
  public String curve() {
    return curveName;
  }

  /** The value generator H, compressed: documented so that anyone can recompute it. */
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
    ECPoint shifted = point(amount, blinding);
    Transcript transcript = new Transcript(context, min, shifted);
    // a_L: the amount's bits; a_R = a_L − 1. A commits to both, S to the blinding vectors.
    BigInteger[] aL = new BigInteger[BITS];
    BigInteger[] aR = new BigInteger[BITS];
    BigInteger alpha = randomBlinding(random);
    ECPoint bigA = g.multiply(alpha);
    for (int i = 0; i < BITS; i++) {
      boolean set = amount.testBit(i);
      aL[i] = set ? BigInteger.ONE : BigInteger.ZERO;
      aR[i] = set ? BigInteger.ZERO : n.subtract(BigInteger.ONE);
      bigA = set ? bigA.add(gens[i]) : bigA.subtract(hens[i]);
    }
    BigInteger[] sL = new BigInteger[BITS];
    BigInteger[] sR = new BigInteger[BITS];
    for (int i = 0; i < BITS; i++) {
      sL[i] = randomBlinding(random);
      sR[i] = randomBlinding(random);
    }
    BigInteger rho = randomBlinding(random);
    ECPoint bigS = g.multiply(rho).add(multiexp(gens, sL)).add(multiexp(hens, sR));
    BigInteger y = transcript.challenge("y", bigA, bigS);
    BigInteger z = transcript.challenge("z");
    BigInteger zz = z.multiply(z).mod(n);
    // l(X) = l0 + l1·X, r(X) = r0 + r1·X; t(X) = <l(X), r(X)> = t0 + t1·X + t2·X².
    BigInteger[] l0 = new BigInteger[BITS];
    BigInteger[] r0 = new BigInteger[BITS];
    BigInteger[] r1 = new BigInteger[BITS];
    BigInteger yi = BigInteger.ONE;
    for (int i = 0; i < BITS; i++) {
      l0[i] = aL[i].subtract(z).mod(n);
      r0[i] = yi.multiply(aR[i].add(z)).add(zz.shiftLeft(i)).mod(n);
      r1[i] = yi.multiply(sR[i]).mod(n);
      yi = yi.multiply(y).mod(n);
    }
    BigInteger t1 = inner(l0, r1).add(inner(sL, r0)).mod(n);
    BigInteger t2 = inner(sL, r1);
    BigInteger tau1 = randomBlinding(random);
    BigInteger tau2 = randomBlinding(random);
    ECPoint bigT1 = point(t1, tau1);
    ECPoint bigT2 = point(t2, tau2);
    BigInteger x = transcript.challenge("x", bigT1, bigT2);
    BigInteger taux = tau2.multiply(x).multiply(x).add(tau1.multiply(x))
        .add(zz.multiply(blinding)).mod(n);
    BigInteger mu = alpha.add(rho.multiply(x)).mod(n);
    BigInteger[] l = new BigInteger[BITS];
    BigInteger[] r = new BigInteger[BITS];
    for (int i = 0; i < BITS; i++) {
      l[i] = l0[i].add(sL[i].multiply(x)).mod(n);
      r[i] = r0[i].add(r1[i].multiply(x)).mod(n);
    }
    BigInteger tHat = inner(l, r);
    BigInteger w = transcript.challenge("w", taux, mu, tHat);
    ECPoint q = u.multiply(w);

    byte[] proof = new byte[PROOF_BYTES];
    int at = 0;
    for (ECPoint p : new ECPoint[] {bigA, bigS, bigT1, bigT2}) {
      at = putPoint(proof, at, p);
    }
    for (BigInteger k : new BigInteger[] {taux, mu, tHat}) {
      at = putScalar(proof, at, k);
    }
    // The inner-product argument: <l, G> + <r, H'> + <l, r>·Q, H'_i = y^−i·H_i, halved each
    // round by a challenge u_j until one scalar of each vector is left.
    ECPoint[] gs = gens.clone();
    ECPoint[] hs = new ECPoint[BITS];
    BigInteger yInverse = y.modInverse(n);
    BigInteger yiInverse = BigInteger.ONE;
    for (int i = 0; i < BITS; i++) {
      hs[i] = hens[i].multiply(yiInverse);
      yiInverse = yiInverse.multiply(yInverse).mod(n);
    }
    BigInteger[] a = l;
    BigInteger[] b = r;
    for (int half = BITS / 2; half >= 1; half /= 2) {
      BigInteger cL = inner(Arrays.copyOfRange(a, 0, half), Arrays.copyOfRange(b, half,
          2 * half));
      BigInteger cR = inner(Arrays.copyOfRange(a, half, 2 * half), Arrays.copyOfRange(b, 0,
          half));
      ECPoint bigL = multiexp(Arrays.copyOfRange(gs, half, 2 * half), Arrays.copyOfRange(a, 0,
          half)).add(multiexp(Arrays.copyOfRange(hs, 0, half), Arrays.copyOfRange(b, half,
          2 * half))).add(q.multiply(cL));
      ECPoint bigR = multiexp(Arrays.copyOfRange(gs, 0, half), Arrays.copyOfRange(a, half,
          2 * half)).add(multiexp(Arrays.copyOfRange(hs, half, 2 * half),
          Arrays.copyOfRange(b, 0, half))).add(q.multiply(cR));
      at = putPoint(proof, at, bigL);
      at = putPoint(proof, at, bigR);
      BigInteger uj = transcript.challenge("u", bigL, bigR);
      BigInteger ujInverse = uj.modInverse(n);
      BigInteger[] a2 = new BigInteger[half];
      BigInteger[] b2 = new BigInteger[half];
      ECPoint[] g2 = new ECPoint[half];
      ECPoint[] h2 = new ECPoint[half];
      for (int i = 0; i < half; i++) {
        a2[i] = a[i].multiply(uj).add(a[half + i].multiply(ujInverse)).mod(n);
        b2[i] = b[i].multiply(ujInverse).add(b[half + i].multiply(uj)).mod(n);
        g2[i] = ECAlgorithms.sumOfTwoMultiplies(gs[i], ujInverse, gs[half + i], uj);
        h2[i] = ECAlgorithms.sumOfTwoMultiplies(hs[i], uj, hs[half + i], ujInverse);
      }
      a = a2;
      b = b2;
      gs = g2;
      hs = h2;
    }
    at = putScalar(proof, at, a[0]);
    putScalar(proof, at, b[0]);
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
    ECPoint shifted = committed.subtract(h.multiply(min));
    Transcript transcript = new Transcript(context, min, shifted);
    ECPoint bigA = pointAt(proof, 0, "A");
    ECPoint bigS = pointAt(proof, POINT_BYTES, "S");
    ECPoint bigT1 = pointAt(proof, 2 * POINT_BYTES, "T1");
    ECPoint bigT2 = pointAt(proof, 3 * POINT_BYTES, "T2");
    int at = 4 * POINT_BYTES;
    BigInteger taux = scalar(proof, at, "tau_x");
    BigInteger mu = scalar(proof, at + SCALAR_BYTES, "mu");
    BigInteger tHat = scalar(proof, at + 2 * SCALAR_BYTES, "t");
    at += 3 * SCALAR_BYTES;
    BigInteger y = transcript.challenge("y", bigA, bigS);
    BigInteger z = transcript.challenge("z");
    BigInteger x = transcript.challenge("x", bigT1, bigT2);
    BigInteger w = transcript.challenge("w", taux, mu, tHat);
    BigInteger zz = z.multiply(z).mod(n);

    // t̂·H + τx·G = z²·V + δ(y, z)·H + x·T1 + x²·T2: t̂ is t(x), and t0 is what V commits to.
    BigInteger sumY = BigInteger.ZERO;
    BigInteger yi = BigInteger.ONE;
    BigInteger[] yPowers = new BigInteger[BITS];
    for (int i = 0; i < BITS; i++) {
      yPowers[i] = yi;
      sumY = sumY.add(yi);
      yi = yi.multiply(y).mod(n);
    }
    BigInteger delta = z.subtract(zz).multiply(sumY)
        .subtract(zz.multiply(z).multiply(RANGE_MAX)).mod(n);
    ECPoint polynomial = multiexp(
        new ECPoint[] {h, g, shifted, bigT1, bigT2},
        new BigInteger[] {tHat.subtract(delta).mod(n), taux, zz.negate().mod(n),
            x.negate().mod(n), x.multiply(x).negate().mod(n)});
    if (!polynomial.isInfinity()) {
      throw new CommitmentException("the range proof does not verify: its polynomial does not"
          + " match the commitment (the amount is not in [" + min + ", " + min + " + 2^64 − 1],"
          + " or the proof was made for another commitment or context)");
    }

    int rounds = Integer.numberOfTrailingZeros(BITS);
    BigInteger[] challenges = new BigInteger[rounds];
    ECPoint[] points = new ECPoint[2 * BITS + 2 + 2 * rounds + 2];
    BigInteger[] scalars = new BigInteger[points.length];
    int next = 2 * BITS + 2;
    for (int j = 0; j < rounds; j++) {
      ECPoint bigL = pointAt(proof, at, "L" + j);
      ECPoint bigR = pointAt(proof, at + POINT_BYTES, "R" + j);
      at += 2 * POINT_BYTES;
      challenges[j] = transcript.challenge("u", bigL, bigR);
      BigInteger squared = challenges[j].multiply(challenges[j]).mod(n);
      points[next] = bigL;
      scalars[next++] = squared.negate().mod(n);
      points[next] = bigR;
      scalars[next++] = squared.modInverse(n).negate().mod(n);
    }
    BigInteger a = scalar(proof, at, "a");
    BigInteger b = scalar(proof, at + SCALAR_BYTES, "b");
    // One multi-scalar multiplication: a·<s, G> + b·<s⁻¹, H'> + ab·Q must equal
    // A + x·S − z·ΣG_i + Σ(z + z²·2^i·y^−i)·H_i − μ·G + t̂·Q + Σ(u_j²·L_j + u_j^−2·R_j).
    BigInteger[] inverses = new BigInteger[rounds];
    for (int j = 0; j < rounds; j++) {
      inverses[j] = challenges[j].modInverse(n);
    }
    BigInteger yInverse = y.modInverse(n);
    BigInteger yiInverse = BigInteger.ONE;
    for (int i = 0; i < BITS; i++) {
      BigInteger s = BigInteger.ONE;
      for (int j = 0; j < rounds; j++) {
        boolean high = ((i >> (rounds - 1 - j)) & 1) == 1;
        s = s.multiply(high ? challenges[j] : inverses[j]).mod(n);
      }
      points[i] = gens[i];
      scalars[i] = a.multiply(s).add(z).mod(n);
      points[BITS + i] = hens[i];
      scalars[BITS + i] = b.multiply(s.modInverse(n)).subtract(zz.shiftLeft(i))
          .multiply(yiInverse).subtract(z).mod(n);
      yiInverse = yiInverse.multiply(yInverse).mod(n);
    }
    points[2 * BITS] = u;
    scalars[2 * BITS] = a.multiply(b).subtract(tHat).multiply(w).mod(n);
    points[2 * BITS + 1] = g;
    scalars[2 * BITS + 1] = mu;
    points[next] = bigA;
    scalars[next++] = n.subtract(BigInteger.ONE);
    points[next] = bigS;
    scalars[next] = x.negate().mod(n);
    if (!multiexp(points, scalars).isInfinity()) {
      throw new CommitmentException("the range proof does not verify: its inner-product"
          + " argument fails (the proof was altered, or made for another commitment or"
          + " context)");
    }
  }

  /**
   * The Fiat–Shamir transcript: each challenge hashes the one before it with what the prover
   * sent since, so that every challenge depends on the statement and on all that came first.
   */
  private final class Transcript {
    private byte[] state;

    Transcript(byte[] context, BigInteger min, ECPoint shifted) {
      ByteArrayOutputStream start = new ByteArrayOutputStream();
      start.writeBytes(CHALLENGE_TAG);
      start.writeBytes(curveName.getBytes(US_ASCII));
      start.writeBytes(ByteBuffer.allocate(4).putInt(context.length).array());
      start.writeBytes(context);
      start.writeBytes(BigIntegers.asUnsignedByteArray(SCALAR_BYTES, min));
      start.writeBytes(shifted.getEncoded(true));
      state = hash.hash(start.toByteArray());
    }

    BigInteger challenge(String label, Object... sent) {
      ByteArrayOutputStream next = new ByteArrayOutputStream();
      next.writeBytes(state);
      next.writeBytes(label.getBytes(US_ASCII));
      for (Object item : sent) {
        next.writeBytes(item instanceof ECPoint p ? p.getEncoded(true)
            : BigIntegers.asUnsignedByteArray(SCALAR_BYTES, (BigInteger) item));
      }
      state = hash.hash(next.toByteArray());
      BigInteger challenge = new BigInteger(1, state).mod(n);
      // Zero has no inverse; a hash landing on it is as likely as guessing a private key.
      return challenge.signum() == 0 ? BigInteger.ONE : challenge;
    }
  }

  /**
   * Σ scalars[i]·points[i] by Pippenger's bucket method: for each window of the scalars' bits,
   * from the top, each point joins the bucket of its digit and the buckets are summed by
   * running sums. For 144 points about 11,000 additions; BouncyCastle's sumOfMultiplies took
   * five times longer than the points multiplied one by one.
   */
  private ECPoint multiexp(ECPoint[] points, BigInteger[] scalars) {
    int window = points.length < 16 ? 3 : 5;
    int bits = n.bitLength();
    ECPoint infinity = curve.getInfinity();
    ECPoint[] buckets = new ECPoint[(1 << window) - 1];
    ECPoint total = infinity;
    for (int top = ((bits - 1) / window) * window; top >= 0; top -= window) {
      for (int d = 0; d < window; d++) {
        total = total.twice();
      }
      Arrays.fill(buckets, infinity);
      for (int i = 0; i < points.length; i++) {
        int digit = 0;
        for (int bit = window - 1; bit >= 0; bit--) {
          digit = (digit << 1) | (scalars[i].testBit(top + bit) ? 1 : 0);
        }
        if (digit != 0) {
          buckets[digit - 1] = buckets[digit - 1].add(points[i]);
        }
      }
      ECPoint running = infinity;
      ECPoint sum = infinity;
      for (int k = buckets.length - 1; k >= 0; k--) {
        running = running.add(buckets[k]);
        sum = sum.add(running);
      }
      total = total.add(sum);
    }
    return total;
  }

  private BigInteger inner(BigInteger[] a, BigInteger[] b) {
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < a.length; i++) {
      sum = sum.add(a[i].multiply(b[i]));
    }
    return sum.mod(n);
  }

  private static int putPoint(byte[] proof, int at, ECPoint point) {
    System.arraycopy(point.getEncoded(true), 0, proof, at, POINT_BYTES);
    return at + POINT_BYTES;
  }

  private static int putScalar(byte[] proof, int at, BigInteger scalar) {
    BigIntegers.asUnsignedByteArray(scalar, proof, at, SCALAR_BYTES);
    return at + SCALAR_BYTES;
  }

  private ECPoint pointAt(byte[] proof, int at, String what) throws CommitmentException {
    return decode(Arrays.copyOfRange(proof, at, at + POINT_BYTES), what);
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

  // The generator named label: the first x = hash(TAG || curve || "/" || label || counter) that
  // is a point's x-coordinate, with even y. Nothing-up-my-sleeve: no one knows its discrete
  // logarithm to G or to another generator.
  private ECPoint hashToCurve(String label) {
    BigInteger p = curve.getField().getCharacteristic();
    for (int counter = 0; ; counter++) {
      ByteArrayOutputStream seed = new ByteArrayOutputStream();
      seed.writeBytes(GENERATOR_TAG);
      seed.writeBytes((curveName + "/" + label).getBytes(US_ASCII));
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
