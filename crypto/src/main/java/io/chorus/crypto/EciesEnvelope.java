package io.chorus.crypto;

import io.chorus.codec.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.BigIntegers;

// The ethereum suite's envelope, ECIES on secp256k1: per slot a fresh ephemeral key, the ECDH
// secret's x through HKDF-SHA256 to a key-encryption key, the AES-256 content key under
// AES-256-GCM with it; the payload AES-256-GCM. The same on NIST P-256 (scheme 3) seals for the
// P-256 keys of an ethereum chain's consortium certificates (P256); slots are named by the
// keccak address of the key, as the suite names accounts.
final class EciesEnvelope extends Envelope {
  static final EciesEnvelope INSTANCE = new EciesEnvelope(Secp256k1.DOMAIN, 2, "secp256k1");
  static final EciesEnvelope ON_P256 = new EciesEnvelope(P256.DOMAIN, 3, "p256");
  static final int KEY_BYTES = 32;
  // Each key-encryption key encrypts one content key only, so a fixed nonce is safe.
  private static final byte[] WRAP_NONCE = new byte[NONCE_BYTES];
  // The ephemeral public key (x || y) || the content key's ciphertext || its tag.
  private static final int WRAPPED_BYTES = 64 + KEY_BYTES + TAG_BYTES;

  private final EcDomain domain;
  private final String curve;
  private final byte[] kdfLabel;

  private EciesEnvelope(EcDomain domain, int schemeId, String curve) {
    super(EthereumSuite.INSTANCE, schemeId);
    this.domain = domain;
    this.curve = curve;
    this.kdfLabel = ("chorus envelope ecies-" + curve).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String scheme() {
    return "ecies-" + curve + "-hkdf-sha256-aes256-gcm";
  }

  @Override
  int contentKeyBytes() {
    return KEY_BYTES;
  }

  @Override
  int wrappedKeyBytes() {
    return WRAPPED_BYTES;
  }

  @Override
  public void requireRecipient(byte[] publicKey) {
    domain.publicPoint(publicKey);
  }

  @Override
  byte[] wrap(byte[] contentKey, byte[] recipientPublicKey, SecureRandom random) {
    KeyPair ephemeral = domain.generateKeyPair(random);
    byte[] kek = keyEncryptionKey(domain.privateScalar(ephemeral.privateKey()),
        recipientPublicKey, ephemeral.publicKey(), recipientPublicKey);
    return Bytes.concat(ephemeral.publicKey(), aesGcm(true, kek, WRAP_NONCE, new byte[0],
        contentKey));
  }

  @Override
  byte[] unwrap(byte[] wrapped, KeyPair recipient) throws EnvelopeException {
    byte[] ephemeralKey = Arrays.copyOf(wrapped, 64);
    byte[] kek;
    try {
      kek = keyEncryptionKey(domain.privateScalar(recipient.privateKey()),
          ephemeralKey, ephemeralKey, recipient.publicKey());
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(EnvelopeException.Reason.NOT_AUTHENTIC, "the recipient's"
          + " slot has no valid ephemeral key (" + e.getMessage() + "): the envelope was"
          + " altered");
    }
    byte[] key = aesGcm(false, kek, WRAP_NONCE, new byte[0],
        Arrays.copyOfRange(wrapped, 64, wrapped.length));
    if (key == null) {
      throw new EnvelopeException(EnvelopeException.Reason.NOT_AUTHENTIC, "the recipient's"
          + " wrapped content key does not authenticate: the envelope was altered, or the key"
          + " pair is not the one it names");
    }
    return key;
  }

  @Override
  byte[] encryptPayload(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
    return aesGcm(true, key, nonce, associatedData, plaintext);
  }

  @Override
  byte[] decryptPayload(byte[] key, byte[] nonce, byte[] associatedData, byte[] sealed) {
    return aesGcm(false, key, nonce, associatedData, sealed);
  }

  // HKDF-SHA256 of the ECDH secret's x, with both public keys in the info so the key is
  // bound to this slot's pair.
  private byte[] keyEncryptionKey(BigInteger privateScalar, byte[] otherPublicKey,
      byte[] ephemeralPublicKey, byte[] recipientPublicKey) {
    ECDHBasicAgreement agreement = new ECDHBasicAgreement();
    agreement.init(new ECPrivateKeyParameters(privateScalar,
        domain.parameters()));
    BigInteger x = agreement.calculateAgreement(new ECPublicKeyParameters(
        domain.publicPoint(otherPublicKey), domain.parameters()));
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(BigIntegers.asUnsignedByteArray(32, x), null,
        Bytes.concat(kdfLabel, ephemeralPublicKey, recipientPublicKey)));
    byte[] out = new byte[KEY_BYTES];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  /** AES-256-GCM; on decryption, null when the tag does not match. */
  static byte[] aesGcm(boolean encrypt, byte[] key, byte[] nonce, byte[] associatedData,
      byte[] input) {
    GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(encrypt, new AEADParameters(new KeyParameter(key), 8 * TAG_BYTES, nonce,
        associatedData));
    byte[] out = new byte[cipher.getOutputSize(input.length)];
    try {
      int length = cipher.processBytes(input, 0, input.length, out, 0);
      length += cipher.doFinal(out, length);
      return length == out.length ? out : Arrays.copyOf(out, length);
    } catch (InvalidCipherTextException e) {
      if (encrypt) {
        throw new IllegalStateException("GCM encryption cannot fail authentication", e);
      }
      return null;
    }
  }
}
