package io.chorus.crypto;

import io.chorus.codec.Bytes;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.signers.DSAKCalculator;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

// SM2 signatures (GB/T 32918.2, GM/T 0003.2) on one curve: e = SM3(Z || message), where Z hashes
// the signer's id and public key with the curve. Nonces are deterministic (RFC 6979's HMAC-DRBG
// over SM3, keyed by d and e) so that signing needs no randomness and replays are identical; a
// verifier cannot tell them from random ones.
final class Sm2 {
  // ENTL is a 16-bit count of the id's bits.
  private static final int USER_ID_BYTES_MAX = 0xffff / 8;

  private final EcDomain domain;
  private final byte[] curveAndGenerator;
  private final CombTable generatorTable;

  Sm2(EcDomain domain) {
    this.domain = domain;
    ECDomainParameters parameters = domain.parameters();
    ECPoint g = parameters.getG().normalize();
    this.curveAndGenerator = Bytes.concat(
        parameters.getCurve().getA().getEncoded(), parameters.getCurve().getB().getEncoded(),
        EcDomain.encode(g));
    this.generatorTable = new CombTable(parameters.getG());
  }

  EcDomain domain() {
    return domain;
  }

  // Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA).
  byte[] z(byte[] userId, byte[] publicKey) {
    if (userId.length > USER_ID_BYTES_MAX) {
      throw new IllegalArgumentException(
          "SM2 user id must be at most " + USER_ID_BYTES_MAX + " bytes, got " + userId.length);
    }
    int entl = userId.length * 8;
    byte[] entlBytes = {(byte) (entl >>> 8), (byte) entl};
    return Sm3.INSTANCE.hash(Bytes.concat(entlBytes, userId, curveAndGenerator, publicKey));
  }

  Signature sign(byte[] message, byte[] userId, KeyPair keys) {
    BigInteger d = domain.privateScalar(keys.privateKey());
    // Z takes the pair's public key as given: recomputing d·G would double the cost of signing.
    byte[] e = e(message, userId, keys.publicKey());
    DSAKCalculator nonces = new HMacDSAKCalculator(new SM3Digest());
    nonces.init(domain.n(), d, e);
    return sign(e, d, nonces);
  }

  // The signing equations with the nonces given, so the standards' fixed-k examples apply.
  Signature sign(byte[] e, BigInteger d, DSAKCalculator nonces) {
    BigInteger n = domain.n();
    BigInteger eValue = new BigInteger(1, e);
    BigInteger dPlusOneInverse = BigIntegers.modOddInverse(n, d.add(BigInteger.ONE));
    while (true) {
      BigInteger k = nonces.nextK();
      BigInteger x1 = domain.multiplyG(k).getAffineXCoord().toBigInteger();
      BigInteger r = eValue.add(x1).mod(n);
      if (r.signum() == 0 || r.add(k).equals(n)) {
        continue;
      }
      BigInteger s = dPlusOneInverse.multiply(k.subtract(r.multiply(d))).mod(n);
      if (s.signum() != 0) {
        return new Signature(r, s, 0);
      }
    }
  }

  boolean verify(byte[] message, byte[] userId, Signature signature, byte[] publicKey) {
    domain.checkRange(signature);
    ECPoint p = domain.publicPoint(publicKey);
    BigInteger n = domain.n();
    BigInteger t = signature.r().add(signature.s()).mod(n);
    if (t.signum() == 0) {
      return false;
    }
    // A key's first check uses BouncyCastle's Shamir's trick; a repeated key has a comb table.
    CombTable publicTable = CombTable.ofRepeatedPoint(p);
    ECPoint sum = publicTable == null
        ? ECAlgorithms.sumOfTwoMultiplies(domain.parameters().getG(), signature.s(), p, t)
        : CombTable.sumOfTwoMultiplies(generatorTable, signature.s(), publicTable, t);
    ECPoint point = sum.normalize();
    if (point.isInfinity()) {
      return false;
    }
    BigInteger e = new BigInteger(1, e(message, userId, publicKey));
    return e.add(point.getAffineXCoord().toBigInteger()).mod(n).equals(signature.r());
  }

  private byte[] e(byte[] message, byte[] userId, byte[] publicKey) {
    return Sm3.INSTANCE.hash(Bytes.concat(z(userId, publicKey), message));
  }
}
