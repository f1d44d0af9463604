package io.chorus.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.PreCompInfo;
import org.bouncycastle.math.raw.Nat;

/**
 * k·A + l·B for scalars below 2^256 by one fixed-base comb over tables of each point, with
 * BouncyCastle's point arithmetic. The 256 bits are COMBS × TEETH teeth SPACING bits apart; a
 * comb's table holds the 255 non-zero sums of its 8 teeth 2^(SPACING·m)·P, affine, and column c
 * of a scalar picks bit c of each of those teeth. One sum costs SPACING - 1 doublings and at most
 * 2 × COMBS × SPACING additions of affine points (here 15 and 64, where BouncyCastle's own comb
 * for two repeated points has 6 teeth: 42 doublings, 86 additions). Tables are for public values
 * (signature checks): lookups are not constant-time.
 */
final class CombTable {
  private static final int COMBS = 2;
  private static final int TEETH = 8;
  private static final int SPACING = 16; // COMBS × TEETH × SPACING = 256 bits
  private static final String PRECOMP_NAME = "io.chorus.crypto.CombTable";

  private final ECLookupTable[] combs = new ECLookupTable[COMBS];
  private final ECPoint infinity;

  /** The tables of a finite point; they build in about nine signature checks' time. */
  CombTable(ECPoint point) {
    ECCurve curve = point.getCurve();
    if (curve.getFieldSize() != COMBS * TEETH * SPACING) {
      throw new IllegalArgumentException("comb tables are for 256-bit curves");
    }
    ECPoint[] teeth = new ECPoint[COMBS * TEETH];
    teeth[0] = point;
    for (int m = 1; m < teeth.length; m++) {
      teeth[m] = teeth[m - 1].timesPow2(SPACING);
    }
    curve.normalizeAll(teeth);
    for (int comb = 0; comb < COMBS; comb++) {
      // Entry v - 1 is the sum of the teeth whose bits are set in v: v without its top bit,
      // plus that tooth. No sum is infinity: each is a sum of distinct 2^(SPACING·m), below n.
      ECPoint[] entries = new ECPoint[(1 << TEETH) - 1];
      for (int v = 1; v <= entries.length; v++) {
        int top = 31 - Integer.numberOfLeadingZeros(v);
        int rest = v ^ (1 << top);
        ECPoint tooth = teeth[comb * TEETH + top];
        entries[v - 1] = rest == 0 ? tooth : entries[rest - 1].add(tooth);
      }
      curve.normalizeAll(entries);
      combs[comb] = curve.createCacheSafeLookupTable(entries, 0, entries.length);
    }
    this.infinity = curve.getInfinity();
  }

  /**
   * The tables of {@code point} from its second use on, else null. BouncyCastle keeps them on
   * the point object, so they live as long as the caller keeps the point (EcDomain's key cache);
   * a key seen once costs no table.
   */
  static CombTable ofRepeatedPoint(ECPoint point) {
    Uses uses = (Uses) point.getCurve().precompute(point, PRECOMP_NAME, existing -> {
      if (existing == null) {
        return new Uses(null);
      }
      Uses seen = (Uses) existing;
      return seen.table() != null ? seen : new Uses(new CombTable(point));
    });
    return uses.table();
  }

  private record Uses(CombTable table) implements PreCompInfo {}

  /** k·A + l·B (not normalised) for 0 ≤ k, l < 2^256, with A's and B's tables. */
  static ECPoint sumOfTwoMultiplies(CombTable a, BigInteger k, CombTable b, BigInteger l) {
    int[] kWords = Nat.fromBigInteger(COMBS * TEETH * SPACING, k);
    int[] lWords = Nat.fromBigInteger(COMBS * TEETH * SPACING, l);
    ECPoint sum = a.infinity;
    for (int column = SPACING - 1; column >= 0; column--) {
      sum = sum.twice();
      for (int comb = 0; comb < COMBS; comb++) {
        sum = a.add(sum, comb, digit(kWords, comb, column));
        sum = b.add(sum, comb, digit(lWords, comb, column));
      }
    }
    return sum;
  }

  private ECPoint add(ECPoint sum, int comb, int digit) {
    return digit == 0 ? sum : sum.add(combs[comb].lookupVar(digit - 1));
  }

  // Bit `column` of each tooth of the comb (bit SPACING·m + column of the scalar, m the tooth's
  // index over all combs), tooth i of the comb as bit i.
  private static int digit(int[] words, int comb, int column) {
    int digit = 0;
    for (int i = 0; i < TEETH; i++) {
      int bit = SPACING * (comb * TEETH + i) + column;
      digit |= ((words[bit >>> 5] >>> (bit & 31)) & 1) << i;
    }
    return digit;
  }
}
