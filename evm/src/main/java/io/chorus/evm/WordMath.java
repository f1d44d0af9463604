package io.chorus.evm;

import java.math.BigInteger;

/** TEMPORARY BigInteger version until the wordmath branch lands. */
public final class WordMath {
  private static final BigInteger M = BigInteger.ONE.shiftLeft(256);
  private static final BigInteger H = BigInteger.ONE.shiftLeft(255);

  private WordMath() {}

  static BigInteger get(long[] s, int o) {
    return Word.fromStack(s, o).toBigInteger();
  }

  static void put(long[] s, int o, BigInteger v) {
    Word.fromBigInteger(v.mod(M)).toStack(s, o);
  }

  static BigInteger signed(BigInteger v) {
    return v.testBit(255) ? v.subtract(M) : v;
  }

  public static void add(long[] s, int a, int b) { put(s, b, get(s, a).add(get(s, b))); }
  public static void sub(long[] s, int a, int b) { put(s, b, get(s, a).subtract(get(s, b))); }
  public static void mul(long[] s, int a, int b) { put(s, b, get(s, a).multiply(get(s, b))); }
  public static void div(long[] s, int a, int b) {
    BigInteger d = get(s, b);
    put(s, b, d.signum() == 0 ? d : get(s, a).divide(d));
  }
  public static void sdiv(long[] s, int a, int b) {
    BigInteger d = signed(get(s, b));
    put(s, b, d.signum() == 0 ? d : signed(get(s, a)).divide(d));
  }
  public static void mod(long[] s, int a, int b) {
    BigInteger d = get(s, b);
    put(s, b, d.signum() == 0 ? d : get(s, a).mod(d));
  }
  public static void smod(long[] s, int a, int b) {
    BigInteger d = signed(get(s, b));
    BigInteger x = signed(get(s, a));
    put(s, b, d.signum() == 0 ? d : x.abs().mod(d.abs()).multiply(BigInteger.valueOf(x.signum() < 0 ? -1 : 1)));
  }
  public static void exp(long[] s, int a, int b) { put(s, b, get(s, a).modPow(get(s, b), M)); }
  public static void signExtend(long[] s, int a, int b) {
    BigInteger k = get(s, a);
    if (k.compareTo(BigInteger.valueOf(31)) >= 0) return;
    int bit = k.intValue() * 8 + 7;
    BigInteger x = get(s, b);
    BigInteger mask = BigInteger.ONE.shiftLeft(bit + 1).subtract(BigInteger.ONE);
    put(s, b, x.testBit(bit) ? x.or(M.subtract(BigInteger.ONE).xor(mask)) : x.and(mask));
  }
  public static void lt(long[] s, int a, int b) { setLong(s, b, get(s, a).compareTo(get(s, b)) < 0 ? 1 : 0); }
  public static void gt(long[] s, int a, int b) { setLong(s, b, get(s, a).compareTo(get(s, b)) > 0 ? 1 : 0); }
  public static void slt(long[] s, int a, int b) { setLong(s, b, signed(get(s, a)).compareTo(signed(get(s, b))) < 0 ? 1 : 0); }
  public static void sgt(long[] s, int a, int b) { setLong(s, b, signed(get(s, a)).compareTo(signed(get(s, b))) > 0 ? 1 : 0); }
  public static void eq(long[] s, int a, int b) { setLong(s, b, get(s, a).equals(get(s, b)) ? 1 : 0); }
  public static void and(long[] s, int a, int b) { put(s, b, get(s, a).and(get(s, b))); }
  public static void or(long[] s, int a, int b) { put(s, b, get(s, a).or(get(s, b))); }
  public static void xor(long[] s, int a, int b) { put(s, b, get(s, a).xor(get(s, b))); }
  public static void byteAt(long[] s, int a, int b) {
    BigInteger i = get(s, a);
    put(s, b, i.compareTo(BigInteger.valueOf(32)) >= 0 ? BigInteger.ZERO
        : get(s, b).shiftRight(8 * (31 - i.intValue())).and(BigInteger.valueOf(255)));
  }
  public static void shl(long[] s, int a, int b) {
    BigInteger i = get(s, a);
    put(s, b, i.compareTo(BigInteger.valueOf(256)) >= 0 ? BigInteger.ZERO : get(s, b).shiftLeft(i.intValue()));
  }
  public static void shr(long[] s, int a, int b) {
    BigInteger i = get(s, a);
    put(s, b, i.compareTo(BigInteger.valueOf(256)) >= 0 ? BigInteger.ZERO : get(s, b).shiftRight(i.intValue()));
  }
  public static void sar(long[] s, int a, int b) {
    BigInteger i = get(s, a);
    BigInteger x = signed(get(s, b));
    put(s, b, x.shiftRight(i.compareTo(BigInteger.valueOf(256)) >= 0 ? 256 : i.intValue()));
  }
  public static void isZero(long[] s, int a) { setLong(s, a, isZeroAt(s, a) ? 1 : 0); }
  public static void not(long[] s, int a) { for (int i = 0; i < 4; i++) s[a + i] = ~s[a + i]; }
  public static void addMod(long[] s, int a, int b, int n) {
    BigInteger m = get(s, n);
    put(s, n, m.signum() == 0 ? m : get(s, a).add(get(s, b)).mod(m));
  }
  public static void mulMod(long[] s, int a, int b, int n) {
    BigInteger m = get(s, n);
    put(s, n, m.signum() == 0 ? m : get(s, a).multiply(get(s, b)).mod(m));
  }
  public static boolean isZeroAt(long[] s, int o) { return (s[o] | s[o + 1] | s[o + 2] | s[o + 3]) == 0; }
  public static int byteLength(long[] s, int o) { return (get(s, o).bitLength() + 7) / 8; }
  public static long toLongSaturated(long[] s, int o) {
    return (s[o] | s[o + 1] | s[o + 2]) != 0 || s[o + 3] < 0 ? Long.MAX_VALUE : s[o + 3];
  }
  public static void setLong(long[] s, int o, long v) { s[o] = 0; s[o + 1] = 0; s[o + 2] = 0; s[o + 3] = v; }
  public static void fromBytes(byte[] src, int off, int len, long[] s, int o) {
    byte[] w = new byte[32];
    System.arraycopy(src, off, w, 32 - len, len);
    Word.fromBytes(w).toStack(s, o);
  }
  public static void toBytes(long[] s, int o, byte[] dst, int off) {
    System.arraycopy(Word.fromStack(s, o).toBytes(), 0, dst, off, 32);
  }
}
