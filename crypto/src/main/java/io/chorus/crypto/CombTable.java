package io.chorus.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.PreCompInfo;
import org.bouncycastle.math.raw.Nat;

/**
 * k·A + l·B for scalars below 2^256 by one fixed-base comb over a table of each point, with
 * BouncyCastle's point arithmetic. A table has 8 teeth 32 bits apart: its 255 entries are the
 * non-zero sums of 2^(32·i)·P for i < 8, affine, and column c of a scalar picks bit c of each of
 * its eight 32-bit words. One sum then costs 31 doublings and at most 64 additions of affine
 * points, where BouncyCastle's own comb for two repeated points has 6 teeth (42 doublings, 86
 * additions). Tables are for public values (signature checks): lookups are not constant-time.
 */
final class CombTable {
  private static final int TEETH = 8;
  private static final int SPACING = 32; // TEETH × SPACING = 256 bits
  private static final String PRECOMP_NAME = "io.chorus.crypto.CombTable";

  private final ECLookupTable sums;
  private final ECPoint infinity;

  /** The table of a finite point; builds in about four signature checks' time. */
  CombTable(ECPoint point) {
    ECCurve curve = point.getCurve();
    if (curve.getFieldSize() != TEETH * SPACING) {
      throw new IllegalArgumentException("comb tables are for 256-bit curves");
    }
    ECPoint[] teeth = new ECPoint[TEETH];
    teeth[0] = point;
    for (int i = 1; i < TEETH; i++) {
      teeth[i] = teeth[i - 1].timesPow2(SPACING);
    }
    curve.normalizeAll(teeth);
    // Entry v - 1 is the sum of the teeth whose bits are set in v: v without its top bit, plus
    // that tooth. No sum is infinity: each is 2^(32·i) summed over distinct i, below n.
    ECPoint[] entries = new ECPoint[(1 << TEETH) - 1];
    for (int v = 1; v <= entries.length; v++) {
      int top = 31 - Integer.numberOfLeadingZeros(v);
      int rest = v ^ (1 << top);
      entries[v - 1] = rest == 0 ? teeth[top] : entries[rest - 1].add(teeth[top]);
    }
    curve.normalizeAll(entries);
    this.sums = curve.createCacheSafeLookupTable(entries, 0, entries.length);
    this.infinity = curve.getInfinity();
  }

  /**
   * The table of {@code point} from its second use on, else null. BouncyCastle keeps it on the
   * point object, so it lives as long as the caller keeps the point (EcDomain's key cache); a
   * key seen once costs no table.
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
    int[] kWords = Nat.fromBigInteger(TEETH * SPACING, k);
    int[] lWords = Nat.fromBigInteger(TEETH * SPACING, l);
    ECPoint sum = a.infinity;
    for (int column = SPACING - 1; column >= 0; column--) {
      sum = sum.twice();
      int kDigit = digit(kWords, column);
      if (kDigit != 0) {
        sum = sum.add(a.sums.lookupVar(kDigit - 1));
      }
      int lDigit = digit(lWords, column);
      if (lDigit != 0) {
        sum = sum.add(b.sums.lookupVar(lDigit - 1));
      }
    }
    return sum;
  }

  // Bit `column` of each 32-bit word (least significant word first), word i as bit i.
  private static int digit(int[] words, int column) {
    int digit = 0;
    for (int tooth = 0; tooth < TEETH; tooth++) {
      digit |= ((words[tooth] >>> column) & 1) << tooth;
    }
    return digit;
  }
}
