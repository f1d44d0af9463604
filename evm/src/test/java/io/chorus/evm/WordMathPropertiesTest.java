package io.chorus.evm;

import static java.math.BigInteger.ONE;
import static java.math.BigInteger.TWO;
import static java.math.BigInteger.ZERO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.BinaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Every WordMath operation agrees with a BigInteger oracle of the EVM's definition, on inputs
 * biased to the edges: 0, 1, 2^255, 2^256−1, sparse and dense limbs, powers of two ± 1, and
 * dividends built to send Knuth D through its rare correction paths.
 */
class WordMathPropertiesTest {
  static final BigInteger MODULUS = TWO.pow(256);
  static final BigInteger MAX = MODULUS.subtract(ONE);
  static final BigInteger HALF = TWO.pow(255);
  static final BigInteger LIMB = TWO.pow(64);
  // The interpreter's layout: μs[0] on top, at the highest offset; guard words around.
  static final int N = 4;
  static final int B = 8;
  static final int A = 12;
  static final long GUARD = 0x5a5a_1234_a5a5_4321L;

  interface Unary {
    void apply(long[] s, int a);
  }

  interface Binary {
    void apply(long[] s, int a, int b);
  }

  interface Ternary {
    void apply(long[] s, int a, int b, int n);
  }

  // ---- generators ----

  @Provide
  static Arbitrary<BigInteger> words() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(
            ZERO, ONE, TWO, BigInteger.valueOf(3), HALF, HALF.subtract(ONE), HALF.add(ONE), MAX,
            MAX.subtract(ONE), LIMB.subtract(ONE), LIMB, TWO.pow(128).subtract(ONE),
            TWO.pow(192).subtract(ONE), new BigInteger("ffffffffffffffffffffffffffffff61", 16))),
        Tuple.of(3, Arbitraries.bigIntegers().between(ZERO, MAX)),
        Tuple.of(3, limbPatterns()),
        Tuple.of(2, nearPowersOfTwo()),
        Tuple.of(1, Arbitraries.bigIntegers().between(ZERO, BigInteger.valueOf(1000))));
  }

  /** Words whose limbs are each 0, all ones, 1, 2^63, 2^63−1 or random: few or many limbs set. */
  static Arbitrary<BigInteger> limbPatterns() {
    Arbitrary<Long> limb = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(0L)),
        Tuple.of(2, Arbitraries.just(-1L)),
        Tuple.of(1, Arbitraries.of(1L, Long.MIN_VALUE, Long.MAX_VALUE)),
        Tuple.of(3, Arbitraries.longs()));
    return Combinators.combine(limb, limb, limb, limb).as(WordMathPropertiesTest::fromLimbs);
  }

  static Arbitrary<BigInteger> nearPowersOfTwo() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 255), Arbitraries.integers().between(-1, 1))
        .as((k, d) -> TWO.pow(k).add(BigInteger.valueOf(d)).mod(MODULUS));
  }

  /** Shift distances and byte indexes: mostly small, sometimes at the limits, sometimes huge. */
  @Provide
  static Arbitrary<BigInteger> distances() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.bigIntegers().between(ZERO, BigInteger.valueOf(300))),
        Tuple.of(1, Arbitraries.of(BigInteger.valueOf(31), BigInteger.valueOf(32),
            BigInteger.valueOf(255), BigInteger.valueOf(256), BigInteger.valueOf(257),
            LIMB.add(BigInteger.valueOf(5)), MAX)),
        Tuple.of(1, words()));
  }

  /**
   * Nonzero divisors of 1 to 4 limbs; the limbs below the top one are often all ones, zero or
   * random, which decides whether the 3-by-2 estimate overshoots.
   */
  @Provide
  static Arbitrary<BigInteger> divisors() {
    Arbitrary<BigInteger> structured = Arbitraries.integers().between(1, 4).flatMap(n -> {
      BigInteger lowMod = TWO.pow(64 * (n - 1));
      Arbitrary<BigInteger> top = Arbitraries.integers().between(1, 64).flatMap(bits ->
          Arbitraries.bigIntegers().between(TWO.pow(bits - 1), TWO.pow(bits).subtract(ONE)));
      Arbitrary<BigInteger> low = Arbitraries.oneOf(
          Arbitraries.just(lowMod.subtract(ONE)),
          Arbitraries.just(ZERO),
          Arbitraries.bigIntegers().between(ZERO, lowMod.subtract(ONE)),
          Arbitraries.bigIntegers().between(ZERO, BigInteger.valueOf(1 << 20))
              .map(c -> lowMod.subtract(c).subtract(ONE).max(ZERO)));
      return Combinators.combine(top, low).as((t, l) -> t.multiply(lowMod).add(l));
    });
    return Arbitraries.oneOf(structured, words().filter(d -> d.signum() != 0));
  }

  /** (dividend, divisor) pairs shaped for the corrections of algorithm D. */
  @Provide
  static Arbitrary<BigInteger[]> divisions() {
    return divisors().flatMap(d -> {
      BigInteger maxK = MAX.divide(d);
      Arbitrary<BigInteger> k = Arbitraries.oneOf(
          Arbitraries.of(ONE, TWO, maxK, maxK.subtract(ONE).max(ONE)),
          Arbitraries.bigIntegers().between(ONE, maxK));
      // The divisor cut to its top 128 significant bits: what the quotient estimate sees.
      int cut = Math.max(0, d.bitLength() - 128);
      BigInteger seen = d.shiftRight(cut).shiftLeft(cut);
      Arbitrary<BigInteger> small = Arbitraries.bigIntegers().between(ZERO, LIMB);
      Arbitrary<BigInteger> nearZeroOrBeta = Arbitraries.bigIntegers()
          .between(ZERO, BigInteger.valueOf(1 << 12))
          .flatMap(e -> Arbitraries.of(e, LIMB.subtract(ONE).subtract(e)));
      Arbitrary<BigInteger> x = Arbitraries.oneOf(
          // just below a multiple
          k.map(q -> q.multiply(d).subtract(ONE)),
          // a multiple of what the estimate sees: it guesses q, the truth is q − 1 (add back)
          Combinators.combine(k, small).as((q, e) -> q.multiply(seen).add(e)),
          // a partial remainder just below the divisor: its top limbs equal the divisor's (the
          // q̂ = β − 1 case), and followed by a limb near β it fires the 2-by-1 step's last fix
          Combinators.combine(Arbitraries.integers().between(1, 3),
                  Arbitraries.oneOf(small, nearZeroOrBeta),
                  Arbitraries.bigIntegers().between(ONE, BigInteger.valueOf(1 << 16)))
              .as((j, r, c) -> d.subtract(c).max(ZERO).shiftLeft(64 * j).add(r)),
          words());
      return x.map(v -> new BigInteger[] {v.mod(MODULUS), d});
    });
  }

  // ---- arithmetic ----

  @Property
  void add(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::add, a, b, a.add(b));
  }

  @Property
  void sub(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::sub, a, b, a.subtract(b));
  }

  @Property
  void mul(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::mul, a, b, a.multiply(b));
  }

  @Property
  void div(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::div, a, b, Oracle.DIV.apply(a, b));
  }

  @Property
  void mod(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::mod, a, b, Oracle.MOD.apply(a, b));
  }

  @Property
  void sdiv(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::sdiv, a, b, Oracle.SDIV.apply(a, b));
  }

  @Property
  void smod(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::smod, a, b, Oracle.SMOD.apply(a, b));
  }

  @Property
  void divisionCorrectionPaths(@ForAll("divisions") BigInteger[] xd) {
    BigInteger x = xd[0], d = xd[1];
    checkBinary(WordMath::div, x, d, Oracle.DIV.apply(x, d));
    checkBinary(WordMath::mod, x, d, Oracle.MOD.apply(x, d));
    checkBinary(WordMath::sdiv, x, d, Oracle.SDIV.apply(x, d));
    checkBinary(WordMath::smod, x, d, Oracle.SMOD.apply(x, d));
  }

  /** Inputs that take each rare correction of the division steps, found by instrumenting it. */
  @Example
  void rareDivisionCorrections() {
    String[][] cases = {
        // the 2-by-1 step's second correction
        {"8000001ffffffe20fffffffffffffc18", "8000001fffffffff"},
        // Knuth's add back
        {"ffffffffffffffffffffffffffffffff0000000000000000ffffffffffffffff",
            "ffffffffffffffffffffffffffffffff80000000000000008000000000000000"},
        // q̂ = β − 1, without and with a carry out of the top limbs
        {"101639ffffffffffffffffffffffffffff64dbffffffffffffefff",
            "101639ffffffffffffffffffffffffffff64dc"},
        {"ffffffffffffffff7fffffffffffffffffffffff2642b864ffffffffffffffff",
            "ffffffffffffffff7fffffffffffffffffffffff2642b865"},
        // the 3-by-2 step's second correction
        {"ffffffffffffffffffffffffffffeec100000000000000000000000000000342",
            "200000580ecd3ffffffffffffffffffffffffffffeee5"}};
    for (String[] c : cases) {
      BigInteger x = new BigInteger(c[0], 16), d = new BigInteger(c[1], 16);
      checkBinary(WordMath::div, x, d, x.divide(d));
      checkBinary(WordMath::mod, x, d, x.mod(d));
      checkTernary(WordMath::mulMod, x, ONE, d, x.mod(d));
    }
  }

  @Property
  void wideDivisionCorrectionPaths(
      @ForAll("divisions") BigInteger[] xd, @ForAll @IntRange(min = 0, max = 5) int shape) {
    BigInteger x = xd[0], d = xd[1];
    // Scaling by a power of two keeps the dividend's shape while shifting it across limbs.
    BigInteger y = shape == 5 ? x : TWO.pow(shape == 4 ? 255 : 64 * shape);
    checkTernary(WordMath::mulMod, x, y, d, x.multiply(y).mod(d));
    checkTernary(WordMath::addMod, x, y, d, x.add(y).mod(d));
  }

  @Property
  void addMod(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b,
      @ForAll("words") BigInteger n) {
    checkTernary(WordMath::addMod, a, b, n, n.signum() == 0 ? ZERO : a.add(b).mod(n));
  }

  @Property
  void mulMod(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b,
      @ForAll("words") BigInteger n) {
    checkTernary(WordMath::mulMod, a, b, n, n.signum() == 0 ? ZERO : a.multiply(b).mod(n));
  }

  @Property
  void exp(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::exp, a, b, a.modPow(b, MODULUS));
  }

  @Property
  void signExtend(@ForAll("distances") BigInteger k, @ForAll("words") BigInteger x) {
    BigInteger expected = x;
    if (k.compareTo(BigInteger.valueOf(31)) < 0) {
      int bits = 8 * (k.intValueExact() + 1);
      BigInteger low = x.mod(TWO.pow(bits));
      expected = low.testBit(bits - 1) ? low.subtract(TWO.pow(bits)) : low;
    }
    checkBinary(WordMath::signExtend, k, x, expected);
  }

  // ---- comparison and bitwise ----

  @Property
  void comparisons(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::lt, a, b, bit(a.compareTo(b) < 0));
    checkBinary(WordMath::gt, a, b, bit(a.compareTo(b) > 0));
    checkBinary(WordMath::slt, a, b, bit(signed(a).compareTo(signed(b)) < 0));
    checkBinary(WordMath::sgt, a, b, bit(signed(a).compareTo(signed(b)) > 0));
    checkBinary(WordMath::eq, a, b, bit(a.equals(b)));
    checkBinary(WordMath::eq, a, a, ONE);
  }

  @Property
  void bitwise(@ForAll("words") BigInteger a, @ForAll("words") BigInteger b) {
    checkBinary(WordMath::and, a, b, a.and(b));
    checkBinary(WordMath::or, a, b, a.or(b));
    checkBinary(WordMath::xor, a, b, a.xor(b));
    checkUnary(WordMath::not, a, MAX.xor(a));
    checkUnary(WordMath::isZero, a, bit(a.signum() == 0));
  }

  @Property
  void byteAt(@ForAll("distances") BigInteger i, @ForAll("words") BigInteger x) {
    BigInteger expected = i.compareTo(BigInteger.valueOf(32)) >= 0 ? ZERO
        : x.shiftRight(8 * (31 - i.intValueExact())).and(BigInteger.valueOf(0xff));
    checkBinary(WordMath::byteAt, i, x, expected);
  }

  @Property
  void shifts(@ForAll("distances") BigInteger shift, @ForAll("words") BigInteger x) {
    int n = shift.min(BigInteger.valueOf(256)).intValueExact();
    checkBinary(WordMath::shl, shift, x, x.shiftLeft(n));
    checkBinary(WordMath::shr, shift, x, x.shiftRight(n));
    checkBinary(WordMath::sar, shift, x, signed(x).shiftRight(n));
  }

  // ---- helpers ----

  @Property
  void wordQueries(@ForAll("words") BigInteger x, @ForAll("words") BigInteger y) {
    long[] s = stack(x, y);
    assertEquals(x.signum() == 0, WordMath.isZeroAt(s, A));
    assertEquals((x.bitLength() + 7) / 8, WordMath.byteLength(s, A));
    assertEquals(x.bitLength() < 64 ? x.longValueExact() : Long.MAX_VALUE,
        WordMath.toLongSaturated(s, A));
    assertEquals(x.equals(y), WordMath.equalsAt(s, A, B));
    assertEquals(x, read(s, A));
  }

  @Property
  void setLong(@ForAll long value) {
    long[] s = stack(MAX, MAX);
    WordMath.setLong(s, B, value);
    assertEquals(new BigInteger(Long.toUnsignedString(value)), read(s, B));
  }

  @Property
  void fromBytesLeftPads(@ForAll @Size(max = 32) byte[] bytes,
      @ForAll @IntRange(min = 0, max = 9) int before,
      @ForAll @IntRange(min = 0, max = 9) int after) {
    byte[] src = new byte[before + bytes.length + after];
    Arrays.fill(src, (byte) 0x77);
    System.arraycopy(bytes, 0, src, before, bytes.length);
    long[] s = stack(MAX, MAX);
    long[] old = s.clone();
    WordMath.fromBytes(src, before, bytes.length, s, B);
    assertEquals(new BigInteger(1, bytes), read(s, B));
    assertUntouchedBesides(old, s, B);
  }

  @Property
  void toBytesIsBigEndian(@ForAll("words") BigInteger x,
      @ForAll @IntRange(min = 0, max = 9) int before) {
    byte[] dst = new byte[before + 32 + 3];
    Arrays.fill(dst, (byte) 0x77);
    WordMath.toBytes(stack(x), A, dst, before);
    byte[] expected = dst.clone();
    System.arraycopy(Word.fromBigInteger(x).toBytes(), 0, expected, before, 32);
    assertArrayEquals(expected, dst);
    long[] back = new long[4];
    WordMath.fromBytes(dst, before, 32, back, 0);
    assertEquals(x, read(back, 0));
  }

  // ---- oracle and plumbing ----

  /** The EVM's definitions of the four divisions, on unsigned words. */
  enum Oracle implements BinaryOperator<BigInteger> {
    DIV, MOD, SDIV, SMOD;

    @Override
    public BigInteger apply(BigInteger a, BigInteger b) {
      if (b.signum() == 0) {
        return ZERO;
      }
      return switch (this) {
        case DIV -> a.divide(b);
        case MOD -> a.mod(b);
        // BigInteger truncates toward zero and its remainder takes the dividend's sign.
        case SDIV -> signed(a).divide(signed(b)).mod(MODULUS);
        case SMOD -> signed(a).remainder(signed(b)).mod(MODULUS);
      };
    }
  }

  static BigInteger signed(BigInteger x) {
    return x.testBit(255) ? x.subtract(MODULUS) : x;
  }

  static BigInteger bit(boolean b) {
    return b ? ONE : ZERO;
  }

  static BigInteger fromLimbs(long l3, long l2, long l1, long l0) {
    return Word.fromStack(new long[] {l3, l2, l1, l0}, 0).toBigInteger();
  }

  /** A stack of guard words with the given words at A, B, N (in that order). */
  static long[] stack(BigInteger... words) {
    long[] s = new long[A + 8];
    Arrays.fill(s, GUARD);
    int[] at = {A, B, N};
    for (int i = 0; i < words.length; i++) {
      Word.fromBigInteger(words[i]).toStack(s, at[i]);
    }
    return s;
  }

  static BigInteger read(long[] s, int o) {
    return Word.fromStack(s, o).toBigInteger();
  }

  static void checkBinary(Binary op, BigInteger a, BigInteger b, BigInteger expected) {
    long[] s = stack(a, b);
    long[] before = s.clone();
    op.apply(s, A, B);
    assertEquals(expected.mod(MODULUS), read(s, B),
        () -> "a=" + a.toString(16) + " b=" + b.toString(16));
    assertUntouchedBesides(before, s, B);
  }

  static void checkTernary(Ternary op, BigInteger a, BigInteger b, BigInteger n,
      BigInteger expected) {
    long[] s = stack(a, b, n);
    long[] before = s.clone();
    op.apply(s, A, B, N);
    assertEquals(expected.mod(MODULUS), read(s, N),
        () -> "a=" + a.toString(16) + " b=" + b.toString(16) + " n=" + n.toString(16));
    assertUntouchedBesides(before, s, N);
  }

  static void checkUnary(Unary op, BigInteger a, BigInteger expected) {
    long[] s = stack(a);
    long[] before = s.clone();
    op.apply(s, A);
    assertEquals(expected, read(s, A));
    assertUntouchedBesides(before, s, A);
  }

  /** Only the result word may change: operands and neighbours are left alone. */
  static void assertUntouchedBesides(long[] before, long[] after, int result) {
    for (int i = 0; i < after.length; i++) {
      if (i < result || i >= result + 4) {
        assertEquals(before[i], after[i], "word at " + i + " changed");
      }
    }
  }
}
