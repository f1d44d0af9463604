package io.chorus.crypto;

import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.util.BigIntegers;

/**
 * Signing, public-key recovery and verification by libsecp256k1 (Bitcoin Core's library, through
 * ACINQ's JNI binding), about three times faster than BouncyCastle's: recovery is the cost of
 * admitting every transaction, signing and verification that of every consensus vote.
 * Where the native library cannot load (another OS or CPU), {@link #AVAILABLE} is false, the
 * reason is logged once, and callers use BouncyCastle.
 */
final class NativeSecp256k1 {
  static final boolean AVAILABLE;
  private static final fr.acinq.secp256k1.Secp256k1 LIB;

  static {
    fr.acinq.secp256k1.Secp256k1 lib = null;
    try {
      lib = fr.acinq.secp256k1.Secp256k1.Companion.get();
    } catch (RuntimeException | LinkageError e) {
      System.getLogger(NativeSecp256k1.class.getName()).log(Level.INFO,
          "libsecp256k1 is not available here (" + e + "); recovering keys with BouncyCastle");
    }
    LIB = lib;
    AVAILABLE = lib != null;
  }

  private NativeSecp256k1() {}

  /**
   * The low-s RFC 6979 signature of the 32-byte digest by private scalar d, whose public key
   * (x || y) is given (libsecp256k1 derives the nonce as BouncyCastle's HMAC-SHA256 calculator
   * does). The recovery id is the parity that recovers the key; null in the negligible case that
   * neither does (R.x ≥ n).
   */
  static Signature sign(byte[] digest, BigInteger d, byte[] publicKey) {
    byte[] compact = LIB.sign(digest, BigIntegers.asUnsignedByteArray(32, d));
    BigInteger r = new BigInteger(1, Arrays.copyOf(compact, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(compact, 32, 64));
    for (int recoveryId = 0; recoveryId < 2; recoveryId++) {
      if (Arrays.equals(recover(digest, r, s, recoveryId), publicKey)) {
        return new Signature(r, s, recoveryId);
      }
    }
    return null;
  }

  /**
   * The 64-byte public key (x || y), or null when libsecp256k1 finds no key for this signature
   * (the caller then reports why, from its own checks). r and s must already be in [1, n-1].
   */
  static byte[] recover(byte[] digest, BigInteger r, BigInteger s, int recoveryId) {
    byte[] compact = new byte[64];
    BigIntegers.asUnsignedByteArray(r, compact, 0, 32);
    BigIntegers.asUnsignedByteArray(s, compact, 32, 32);
    try {
      byte[] uncompressed = LIB.ecdsaRecover(compact, digest, recoveryId);
      byte[] key = new byte[64];
      System.arraycopy(uncompressed, 1, key, 0, 64);
      return key;
    } catch (RuntimeException e) {
      return null; // fr.acinq.secp256k1.Secp256k1Exception: no valid key for this signature
    }
  }

  /**
   * Whether (r, s) signs the 32-byte digest under the 64-byte public key (x || y), or null when
   * libsecp256k1 refuses the input (the caller's own checks then say why). It accepts low s
   * only: as (r, n - s) verifies wherever (r, s) does, the caller passes the low one.
   */
  static Boolean verify(byte[] digest, BigInteger r, BigInteger lowS, byte[] publicKey) {
    byte[] compact = new byte[64];
    BigIntegers.asUnsignedByteArray(r, compact, 0, 32);
    BigIntegers.asUnsignedByteArray(lowS, compact, 32, 32);
    byte[] uncompressed = new byte[65];
    uncompressed[0] = 0x04;
    System.arraycopy(publicKey, 0, uncompressed, 1, 64);
    try {
      return LIB.verify(compact, digest, uncompressed);
    } catch (RuntimeException e) {
      return null; // fr.acinq.secp256k1.Secp256k1Exception: not a key on the curve
    }
  }
}
