package io.chorus.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.math.ec.ECPoint;

// The sm suite's envelope: an SM4 content key wrapped with SM2 public-key encryption
// (GB/T 32918.4, C1 || C3 || C2 with SM3), the payload SM4-GCM.
final class SmEnvelope extends Envelope {
  static final SmEnvelope INSTANCE = new SmEnvelope();
  // C1 (an uncompressed point, 0x04 || x || y) || C3 (SM3) || C2 (as long as the key).
  private static final int WRAPPED_BYTES = 1 + 64 + 32 + Sm4.KEY_BYTES;

  private SmEnvelope() {
    super(SmSuite.INSTANCE, 1);
  }

  @Override
  public String scheme() {
    return "sm2-sm4-gcm";
  }

  @Override
  int contentKeyBytes() {
    return Sm4.KEY_BYTES;
  }

  @Override
  int wrappedKeyBytes() {
    return WRAPPED_BYTES;
  }

  @Override
  public void requireRecipient(byte[] publicKey) {
    SmSuite.SM2.domain().publicPoint(publicKey);
  }

  @Override
  byte[] wrap(byte[] contentKey, byte[] recipientPublicKey, SecureRandom random) {
    EcDomain domain = SmSuite.SM2.domain();
    return sm2Encrypt(domain.parameters(), domain.publicPoint(recipientPublicKey), contentKey,
        random);
  }

  @Override
  byte[] unwrap(byte[] wrapped, KeyPair recipient) throws EnvelopeException {
    EcDomain domain = SmSuite.SM2.domain();
    try {
      return sm2Decrypt(domain.parameters(), domain.privateScalar(recipient.privateKey()),
          wrapped);
    } catch (InvalidCipherTextException | IllegalArgumentException e) {
      // BouncyCastle refuses a C1 off the curve or a C3 that does not check alike.
      throw new EnvelopeException(EnvelopeException.Reason.NOT_AUTHENTIC, "the recipient's"
          + " SM2 ciphertext of the content key does not check (" + e.getMessage() + "): the"
          + " envelope was altered, or the key pair is not the one it names");
    }
  }

  @Override
  byte[] encryptPayload(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
    return Sm4.withKey(key).encryptGcm(nonce, associatedData, plaintext);
  }

  @Override
  byte[] decryptPayload(byte[] key, byte[] nonce, byte[] associatedData, byte[] sealed) {
    try {
      return Sm4.withKey(key).decryptGcm(nonce, associatedData, sealed);
    } catch (AEADBadTagException e) {
      return null;
    }
  }

  /** SM2 public-key encryption on any curve, C1 || C3 || C2: the standard's examples apply. */
  static byte[] sm2Encrypt(ECDomainParameters curve, ECPoint publicPoint, byte[] message,
      SecureRandom random) {
    SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
    engine.init(true, new ParametersWithRandom(new ECPublicKeyParameters(publicPoint, curve),
        random));
    try {
      return engine.processBlock(message, 0, message.length);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("SM2 encryption cannot fail on a valid key", e);
    }
  }

  static byte[] sm2Decrypt(ECDomainParameters curve, BigInteger privateScalar,
      byte[] ciphertext) throws InvalidCipherTextException {
    SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
    engine.init(false, new ECPrivateKeyParameters(privateScalar, curve));
    return engine.processBlock(ciphertext, 0, ciphertext.length);
  }
}
