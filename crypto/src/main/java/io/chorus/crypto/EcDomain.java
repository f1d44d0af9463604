package io.chorus.crypto;

import io.chorus.codec.ByteKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

// A prime-order curve with 256-bit coordinates and the key and signature checks both suites
// share. Private keys are 32 bytes big-endian; public keys are 64 bytes x || y.
final class EcDomain {
  private static final int SCALAR_BYTES = 32;
  /**
   * Decoded public keys kept with their multiplication tables: a consortium's senders repeat,
   * and BouncyCastle caches a point's wNAF table on the point object, so verifying against a
   * cached point skips both the decoding and the table.
   */
  static final int PUBLIC_POINT_CACHE_MAX = 4096;
  private static final ECMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private final String name;
  private final ECDomainParameters parameters;
  private final int keyMargin;
  private final BigInteger maxPrivateKey;
  private final Map<ByteKey, ECPoint> publicPoints =
      Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteKey, ECPoint> eldest) {
          return size() > PUBLIC_POINT_CACHE_MAX;
        }
      });

  // Private keys are in [1, n - keyMargin]: a margin of 1 for ECDSA, 2 for SM2, which needs
  // 1 + d invertible mod n.
  EcDomain(String name, ECDomainParameters parameters, int keyMargin) {
    if (parameters.getH().intValue() != 1 || parameters.getCurve().getFieldSize() != 256) {
      throw new IllegalArgumentException(name + ": only 256-bit curves of cofactor 1 fit");
    }
    this.name = name;
    this.parameters = parameters;
    this.keyMargin = keyMargin;
    this.maxPrivateKey = parameters.getN().subtract(BigInteger.valueOf(keyMargin));
  }

  BigInteger n() {
    return parameters.getN();
  }

  ECDomainParameters parameters() {
    return parameters;
  }

  // k·G with the fixed-base comb, whose table BouncyCastle caches on G after the first call.
  ECPoint multiplyG(BigInteger k) {
    return BASE_MULTIPLIER.multiply(parameters.getG(), k).normalize();
  }

  KeyPair keyPair(byte[] privateKey) {
    BigInteger d = privateScalar(privateKey);
    return new KeyPair(privateKey.clone(), encode(multiplyG(d)));
  }

  KeyPair generateKeyPair(SecureRandom random) {
    byte[] candidate = new byte[SCALAR_BYTES];
    do {
      random.nextBytes(candidate);
    } while (!isPrivateScalar(new BigInteger(1, candidate)));
    return keyPair(candidate);
  }

  // The scalar d of a 32-byte private key; the message never echoes the key's value.
  BigInteger privateScalar(byte[] privateKey) {
    requireLength("private key", privateKey, SCALAR_BYTES);
    BigInteger d = new BigInteger(1, privateKey);
    if (!isPrivateScalar(d)) {
      throw new IllegalArgumentException(
          "private key must be in [1, n-" + keyMargin + "] for " + name
              + ", got " + (d.signum() == 0 ? "0" : "a larger value"));
    }
    return d;
  }

  private boolean isPrivateScalar(BigInteger d) {
    return d.signum() > 0 && d.compareTo(maxPrivateKey) <= 0;
  }

  // The point of a 64-byte public key; rejects coordinates ≥ p and points off the curve. Valid
  // points come from a bounded cache, so the same key keeps its precomputed table.
  ECPoint publicPoint(byte[] publicKey) {
    requireLength("public key", publicKey, 2 * SCALAR_BYTES);
    ByteKey key = new ByteKey(publicKey);
    ECPoint cached = publicPoints.get(key);
    if (cached != null) {
      return cached;
    }
    BigInteger x = BigIntegers.fromUnsignedByteArray(publicKey, 0, SCALAR_BYTES);
    BigInteger y = BigIntegers.fromUnsignedByteArray(publicKey, SCALAR_BYTES, SCALAR_BYTES);
    ECPoint point;
    try {
      point = parameters.getCurve().validatePoint(x, y);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key is not a point on " + name, e);
    }
    publicPoints.put(key, point);
    return point;
  }

  // x || y of an affine (normalised), finite point.
  static byte[] encode(ECPoint point) {
    byte[] out = new byte[2 * SCALAR_BYTES];
    point.getAffineXCoord().encodeTo(out, 0);
    point.getAffineYCoord().encodeTo(out, SCALAR_BYTES);
    return out;
  }

  // Rejects r or s outside [1, n-1], naming which, so callers learn what was malformed.
  void checkRange(Signature signature) {
    checkRange("r", signature.r());
    checkRange("s", signature.s());
  }

  private void checkRange(String field, BigInteger value) {
    if (value.signum() == 0 || value.compareTo(n()) >= 0) {
      // Peers choose these values: echo them only while they are of a sane size.
      String got = value.bitLength() <= 256 ? "0x" + value.toString(16) : "a value above 2^256";
      throw new SignatureException(
          "signature " + field + " must be in [1, n-1] for " + name + ", got " + got);
    }
  }

  static void requireDigest(byte[] digest) {
    requireLength("digest", digest, HashFunction.DIGEST_BYTES);
  }

  private static void requireLength(String field, byte[] bytes, int length) {
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          field + " must be " + length + " bytes, got " + bytes.length);
    }
  }
}
